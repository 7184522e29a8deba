package dev.vessel.net;

import java.util.List;

/** Applies {@link NftRuleset} to the host: always the complete state, in one {@code nft -f -} transaction. */
public final class NftRules {
    private final HostNet host;
    /** The script this instance applied last; null when unknown (at first, and after a failure). */
    private String applied;

    public NftRules(HostNet host) {
        this.host = host;
    }

    public synchronized void apply(List<NetworkSpec> networks, List<NftRuleset.ResolvedForward> forwards) {
        String script = NftRuleset.render(networks, forwards);
        // Most changes (an instance plugged or unplugged) leave the rules as they are: skipping the nft run saves its
        // ~20 ms kernel transaction on every container start. A new NftRules (a daemon start) always applies.
        if (script.equals(applied)) {
            return;
        }
        applied = null;
        host.nft(script);
        applied = script;
    }

    /** Forgets what was applied, so that the next {@link #apply} runs nft whatever it renders. */
    public synchronized void invalidate() {
        applied = null;
    }

    /** Removes Vessel's tables, and nothing else. */
    public void remove() {
        apply(List.of(), List.of());
    }

    /** Vessel's tables as nft prints them, for inspection; empty when there are none. */
    public String list() {
        var sb = new StringBuilder();
        for (String table : List.of(NftRuleset.FILTER_TABLE, NftRuleset.NAT_TABLE)) {
            String[] familyAndName = table.split(" ");
            var r = host.attempt("nft", "list", "table", familyAndName[0], familyAndName[1]);
            if (r.ok()) {
                sb.append(r.stdout());
            }
        }
        return sb.toString();
    }
}
