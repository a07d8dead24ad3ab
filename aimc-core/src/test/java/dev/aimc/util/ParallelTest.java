package dev.aimc.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyTaskRunsExactlyOnceForAnyThreadCount() {
        for (int threads : new int[] {1, 2, 4}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(1000);
            Parallel.forEach(1000, threads, runs::incrementAndGet);
            int[] got = new int[1000];
            for (int i = 0; i < got.length; i++) {
                got[i] = runs.get(i);
            }
            int[] once = new int[1000];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, got, threads + " threads");
        }
        Parallel.forEach(0, 4, i -> {
            throw new AssertionError("no task expected");
        });
    }

    @Test
    void aFailingTaskFailsTheCall() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Parallel.forEach(100, 3, i -> {
            if (i == 57) {
                throw new IllegalArgumentException("task 57");
            }
        }));
        String msg = e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertEquals(true, msg.contains("task 57"), msg);
    }
}
