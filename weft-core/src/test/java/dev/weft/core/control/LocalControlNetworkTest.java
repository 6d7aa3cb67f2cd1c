package dev.weft.core.control;

class LocalControlNetworkTest extends ControlBusContractTest {
    private final LocalControlNetwork network = new LocalControlNetwork();

    @Override
    protected ControlBus newBus() {
        return network.newBus();
    }

    @Override
    protected boolean storesRevocations() {
        return false;
    }
}
