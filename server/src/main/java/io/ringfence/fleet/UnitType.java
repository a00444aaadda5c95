package io.ringfence.fleet;

/**
 * One unit type a region offers, as stored: the public shape (accelerator, unit) and what it resolves to.
 */
public record UnitType(long id, String regionId, String accelerator, String unit, String machineFlavorId,
                       String deviceTypeResourceClass, int hostsPerUnit, HostShape host) {

    public long cpusPerUnit() {
        return (long) host.cpus() * hostsPerUnit;
    }

    public long gpusPerUnit() {
        return (long) host.gpu().physicalCount() * hostsPerUnit;
    }

    public long gpuMemoryPerUnit() {
        return gpusPerUnit() * host.gpu().memory();
    }

    public long memoryPerUnit() {
        return (long) host.memory() * hostsPerUnit;
    }
}
