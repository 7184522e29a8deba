package dev.vessel.engine.container;

import dev.vessel.core.model.ByteSize;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.image.LayerProgress;
import dev.vessel.image.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of one running pull or load, as the CLI draws them (one bar per layer, like {@code docker pull}): kept in
 * memory for the progress route, summed into the task's progress, and each phase change written to the task's log.
 * Events arrive from several download threads at once.
 */
final class PullProgress implements ProgressListener {
    /** One layer as the CLI shows it. */
    record Layer(String id, String phase, long done, long total) {}

    private final TaskContext task;
    private final java.util.function.BiConsumer<String, LayerProgress> phaseChanged;
    private final Map<String, LayerProgress> layers = new LinkedHashMap<>();
    private volatile boolean finished;
    private String lastSummary = "";

    /** @param phaseChanged told once per layer and phase (the daemon publishes it as an event) */
    PullProgress(TaskContext task, java.util.function.BiConsumer<String, LayerProgress> phaseChanged) {
        this.task = task;
        this.phaseChanged = phaseChanged;
    }

    @Override
    public void onNotice(String message) {
        task.log(message);
    }

    @Override
    public void onProgress(LayerProgress p) {
        LayerProgress before;
        double fraction;
        String summary;
        synchronized (layers) {
            before = layers.put(p.id(), p);
            fraction = fraction();
            String s = summary();
            // The task logs every message it is given: only a changed one, not each of thousands of byte counts.
            summary = s.equals(lastSummary) ? null : s;
            lastSummary = s;
        }
        if (before == null || before.phase() != p.phase()) {
            phaseChanged.accept(phase(p.phase()), p);
            task.log(p.id() + ": " + phase(p.phase())
                    + (p.bytesTotal() > 0 ? " (" + ByteSize.human(p.bytesTotal()) + ")" : ""));
        }
        task.report(fraction, summary);
    }

    /** Each layer weighs its size: 70% for the download, 30% for unpacking. */
    private double fraction() {
        double sum = 0;
        double weight = 0;
        for (LayerProgress l : layers.values()) {
            double w = Math.max(1, l.bytesTotal());
            double part = l.bytesTotal() <= 0 ? 0 : Math.min(1, (double) l.bytesDone() / l.bytesTotal());
            sum += w
                    * switch (l.phase()) {
                        case WAITING -> 0;
                        case DOWNLOADING -> 0.7 * part;
                        case VERIFYING -> 0.7;
                        case EXTRACTING -> 0.7 + 0.3 * part;
                        case DONE -> 1;
                    };
            weight += w;
        }
        return weight == 0 ? 0 : 0.99 * sum / weight;
    }

    private String summary() {
        long done = layers.values().stream()
                .filter(l -> l.phase() == LayerProgress.Phase.DONE)
                .count();
        return done + " of " + layers.size() + " layers done";
    }

    static String phase(LayerProgress.Phase p) {
        return switch (p) {
            case WAITING -> "waiting";
            case DOWNLOADING -> "downloading";
            case VERIFYING -> "verifying";
            case EXTRACTING -> "extracting";
            case DONE -> "done";
        };
    }

    void finish() {
        finished = true;
    }

    boolean finished() {
        return finished;
    }

    List<Layer> layers() {
        synchronized (layers) {
            var out = new ArrayList<Layer>();
            layers.values().forEach(l -> out.add(new Layer(l.id(), phase(l.phase()), l.bytesDone(), l.bytesTotal())));
            return out;
        }
    }
}
