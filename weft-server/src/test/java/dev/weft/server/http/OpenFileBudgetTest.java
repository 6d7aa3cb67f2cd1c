package dev.weft.server.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFileBudgetTest {
    @Test
    void keepsATenthOfTheLimitBetween64And4096PlusWhatIsOpenOutOfTheConnectionLimit() {
        assertThat(new OpenFileBudget(1024, 60).connectionLimit()).hasValue(1024 - 60 - 102);
        assertThat(new OpenFileBudget(256, 64).connectionLimit()).as("at least 64 kept").hasValue(256 - 64 - 64);
        assertThat(new OpenFileBudget(1_048_576, 200).connectionLimit()).as("at most 4096 kept")
                .hasValue(1_048_576 - 200 - 4096);
    }

    @Test
    void aBudgetSpentAtStartStillAdmitsOneAndAnUnlimitedOneDerivesNothing() {
        assertThat(new OpenFileBudget(100, 90).connectionLimit()).hasValue(1);
        assertThat(new OpenFileBudget(Long.MAX_VALUE, 90).connectionLimit()).isEmpty();
    }
}
