package org.borderwatch.cli.chaos;

/**
 * One fault scenario: it starts what it needs on 127.0.0.1, injects its fault, checks what the system promises,
 * and ends every process it started (by handle), whether it passes or not.
 */
interface ChaosScenario {

    /** 1 to 7, as in the README and {@code --scenario}. */
    int number();

    /** What is done and what must hold, in a few words. */
    String title();

    void run(ChaosContext context, Findings findings) throws Exception;
}
