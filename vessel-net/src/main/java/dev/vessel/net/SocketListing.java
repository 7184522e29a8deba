package dev.vessel.net;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parses {@code ss -Hlntup}: who listens on which port. */
final class SocketListing {
    private static final Pattern USER = Pattern.compile("\\(\"((?:[^\"\\\\]|\\\\.)*)\",pid=(\\d+),");

    private SocketListing() {}

    /**
     * Lines look like {@code tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=611,fd=3))}; the local address
     * may be {@code [::]:22}, {@code *:8080}, {@code 127.0.0.53%lo:53} or {@code 0.0.0.0%vsl-b1:67}.
     */
    static List<Listener> parse(String ssOutput) {
        var out = new ArrayList<Listener>();
        for (String line : ssOutput.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 6 || !(f[0].equals("tcp") || f[0].equals("udp"))) {
                continue;
            }
            String local = f[4];
            int colon = local.lastIndexOf(':');
            if (colon < 0
                    || !local.substring(colon + 1).chars().allMatch(Character::isDigit)
                    || colon == local.length() - 1) {
                continue;
            }
            int port = Integer.parseInt(local.substring(colon + 1));
            String addr = local.substring(0, colon);
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            int scope = addr.indexOf('%');
            if (scope >= 0) {
                addr = addr.substring(0, scope);
            }
            String process = null;
            long pid = 0;
            if (f.length > 6) {
                var m = USER.matcher(line);
                if (m.find()) {
                    process = m.group(1);
                    pid = Long.parseLong(m.group(2));
                }
            }
            out.add(new Listener(Protocol.parse("protocol", f[0]), addr, port, process, pid));
        }
        return out;
    }
}
