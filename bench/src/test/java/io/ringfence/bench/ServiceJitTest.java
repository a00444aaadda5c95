package io.ringfence.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceJitTest {

    @Test
    void countsTheCompilerThreadsOnlyWhateverTheirNamesHold() {
        String c2 = "21300 (C2 CompilerThre) S 21286 21271 1275 0 -1 1077936192 0 0 0 0 7012 31 0 0 20 0 52 0 7305519"
                + " 4133440 410 18446744073709551615";
        String c1 = "21301 (C1 CompilerThre) S 21286 21271 1275 0 -1 1077936192 0 0 0 0 880 9 0 0 20 0 52 0 7305519"
                + " 4133440 410 18446744073709551615";
        String request = "21400 (http-nio-8080-exec-1) S 21286 21271 1275 0 -1 1077936192 0 0 0 0 5000 300 0 0 20 0"
                + " 52 0 7305519 4133440 410 18446744073709551615";
        assertThat(ServiceJit.compilerTicks(c2)).isEqualTo(7043);
        assertThat(ServiceJit.compilerTicks(c1)).isEqualTo(889);
        assertThat(ServiceJit.compilerTicks(request)).isZero();
    }

    @Test
    void aServiceGivenByItsUrlHasNoJitToRead() {
        assertThat(ServiceJit.of(-1).cpuSeconds()).isEqualTo(-1);
    }

    @Test
    void thisJvmsOwnCompilersAreRead() {
        // a real process: this test's JVM has compiled something by now
        assertThat(ServiceJit.of(ProcessHandle.current().pid()).cpuSeconds()).isGreaterThanOrEqualTo(0);
    }
}
