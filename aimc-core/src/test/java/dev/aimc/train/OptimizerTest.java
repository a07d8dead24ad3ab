package dev.aimc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.aimc.util.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    /** Runs {@code steps} steps of loss = 3·p from p = 1 and returns p. */
    private static float run(Optimizer opt, NDManager m, NDArray p, int steps, double lr) {
        for (int i = 0; i < steps; i++) {
            try (NDManager b = m.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = p.mul(3f).sum();
                    loss.attach(b);
                    gc.backward(loss);
                }
                opt.step(Map.of("p", p), lr, b);
            }
        }
        return p.getFloat(0);
    }

    private static NDArray param(NDManager m) {
        NDArray p = m.create(new float[] {1f});
        p.setRequiresGradient(true);
        return p;
    }

    @Test
    void sgdMomentumTwoStepsDoNotAccumulateGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = param(m);
            // step 1: buf = 3, p = 1 - 0.1·3 = 0.7; step 2: buf = 0.9·3 + 3 = 5.7, p = 0.7 - 0.57 = 0.13
            assertEquals(0.7f, run(new Optimizer.Sgd(m, 0.9, false, 0), m, p, 1, 0.1), 1e-6);
            NDArray q = param(m);
            assertEquals(0.13f, run(new Optimizer.Sgd(m, 0.9, false, 0), m, q, 2, 0.1), 1e-6);
        }
    }

    @Test
    void sgdNesterov() {
        try (NDManager m = NDManager.newBaseManager()) {
            // step 1: buf = 3, d = 3 + 0.9·3 = 5.7, p = 0.43; step 2: buf = 5.7, d = 3 + 5.13 = 8.13, p = -0.383
            assertEquals(-0.383f, run(new Optimizer.Sgd(m, 0.9, true, 0), m, param(m), 2, 0.1), 1e-6);
        }
    }

    @Test
    void sgdWeightDecay() {
        try (NDManager m = NDManager.newBaseManager()) {
            // g = 3 + 0.1·1 = 3.1, p = 1 - 0.31
            assertEquals(0.69f, run(new Optimizer.Sgd(m, 0, false, 0.1), m, param(m), 1, 0.1), 1e-6);
        }
    }

    @Test
    void adamOneAndTwoSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            // m̂ = 3, v̂ = 9: p = 1 - 0.1·3/(3 + 1e-8) = 0.9; the second step again moves by ≈ lr
            assertEquals(0.9f, run(new Optimizer.Adam(m, 0.9, 0.999, 1e-8, 0), m, param(m), 1, 0.1), 1e-6);
            assertEquals(0.8f, run(new Optimizer.Adam(m, 0.9, 0.999, 1e-8, 0), m, param(m), 2, 0.1), 1e-6);
        }
    }

    @Test
    void schedules() {
        assertEquals(0.1, LrSchedule.cosine(0.1).lr(0, 100), 1e-12);
        assertEquals(0.05, LrSchedule.cosine(0.1).lr(50, 100), 1e-12);
        assertEquals(0.01, LrSchedule.step(0.1).lr(60, 100), 1e-12);
        assertEquals(0.001, LrSchedule.step(0.1).lr(80, 100), 1e-12);
    }

    /** One-cycle over 1,000 steps with peak 0.2: 0.008 at step 0, linear to 0.2 at step 300, cosine to 8e-7. */
    @Test
    void oneCycleWarmsUpThenAnnealsToItsFloor() {
        LrSchedule s = LrSchedule.parse("onecycle", 0.2);
        assertEquals(0.008, s.lr(0, 1000), 1e-12);
        assertEquals(0.008 + 0.192 * 150 / 300.0, s.lr(150, 1000), 1e-12);
        assertEquals(0.2, s.lr(300, 1000), 1e-12);
        double end = 0.2 / 25 / 1e4;
        assertEquals(end + (0.2 - end) * 0.5 * (1 + Math.cos(Math.PI * 349 / 699.0)), s.lr(649, 1000), 1e-12);
        assertEquals(end, s.lr(999, 1000), 1e-15);
        for (long k = 1; k < 1000; k++) {
            if (k <= 300) {
                assertTrue(s.lr(k, 1000) > s.lr(k - 1, 1000), "rising at " + k);
            } else {
                assertTrue(s.lr(k, 1000) < s.lr(k - 1, 1000), "falling at " + k);
            }
        }
        ConfigException e = assertThrows(ConfigException.class, () -> LrSchedule.parse("one-cycle", 0.1));
        assertTrue(e.getMessage().contains("--schedule") && e.getMessage().contains("onecycle"), e.getMessage());
    }
}
