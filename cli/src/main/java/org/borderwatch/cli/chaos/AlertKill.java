package org.borderwatch.cli.chaos;

final class AlertKill implements ChaosScenario {
    @Override
    public int number() {
        return 6;
    }

    @Override
    public String title() {
        return "TODO";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) {
        throw new UnsupportedOperationException("TODO");
    }
}
