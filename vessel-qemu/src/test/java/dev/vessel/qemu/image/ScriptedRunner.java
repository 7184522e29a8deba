package dev.vessel.qemu.image;

import dev.vessel.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A ProcessRunner that answers from a script instead of running programs, and remembers what it was asked. */
final class ScriptedRunner extends ProcessRunner {
    final List<List<String>> calls = new ArrayList<>();
    private final Function<List<String>, Result> answers;

    ScriptedRunner(Function<List<String>, Result> answers) {
        this.answers = answers;
    }

    static Result ok(List<String> argv, String stdout) {
        return new Result(argv, 0, stdout, "");
    }

    static Result failed(List<String> argv, int code, String stderr) {
        return new Result(argv, code, "", stderr);
    }

    @Override
    public Result exec(List<String> argv, Duration timeout, Path workdir, byte[] stdin) {
        calls.add(List.copyOf(argv));
        return answers.apply(argv);
    }

    static String sample(String name) {
        try (var in = ScriptedRunner.class.getResourceAsStream("/tiny/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
