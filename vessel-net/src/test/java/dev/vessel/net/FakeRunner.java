package dev.vessel.net;

import dev.vessel.host.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Records every command instead of running it; answers come from a function of the argv. */
final class FakeRunner extends ProcessRunner {
    record Call(List<String> argv, String stdin) {
        String line() {
            return String.join(" ", argv);
        }
    }

    final List<Call> calls = new ArrayList<>();
    private final Function<List<String>, Result> answers;

    FakeRunner(Function<List<String>, Result> answers) {
        this.answers = answers;
    }

    static Result ok(List<String> argv, String stdout) {
        return new Result(argv, 0, stdout, "");
    }

    @Override
    public synchronized Result exec(List<String> argv, Duration timeout, Path workdir, byte[] stdin) {
        calls.add(new Call(List.copyOf(argv), stdin == null ? null : new String(stdin, StandardCharsets.UTF_8)));
        return answers.apply(argv);
    }

    @Override
    public synchronized Result execLogged(List<String> argv, Duration timeout, Path log) {
        calls.add(new Call(List.copyOf(argv), null));
        return answers.apply(argv);
    }

    synchronized List<String> lines() {
        return calls.stream().map(Call::line).toList();
    }
}
