package org.borderwatch.aggregator.store;

import java.util.UUID;

/**
 * An exact set of UUIDs in two parallel {@code long} arrays (open addressing, linear probing): 16 bytes per id at
 * full load, about 24 to 32 bytes as it grows, no object per id. Only the stream thread that owns the task touches it.
 */
final class IdSet {

    private static final int INITIAL_CAPACITY = 1 << 10;
    /** Grown (doubled) above this load: short probe sequences, and half the memory of a boxed set. */
    private static final double MAX_LOAD = 0.66;

    private long[] most = new long[INITIAL_CAPACITY];
    private long[] least = new long[INITIAL_CAPACITY];
    private int size;
    /** The all-zero UUID marks an empty slot, so the nil UUID itself is kept here. */
    private boolean hasNil;

    boolean contains(final UUID id) {
        final long msb = id.getMostSignificantBits();
        final long lsb = id.getLeastSignificantBits();
        if (msb == 0 && lsb == 0) {
            return hasNil;
        }
        final int mask = most.length - 1;
        for (int slot = slot(msb, lsb, mask); ; slot = (slot + 1) & mask) {
            if (most[slot] == msb && least[slot] == lsb) {
                return true;
            }
            if (most[slot] == 0 && least[slot] == 0) {
                return false;
            }
        }
    }

    /** Adds {@code id}; whether it was new. */
    boolean add(final UUID id) {
        return add(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    boolean add(final long msb, final long lsb) {
        if (msb == 0 && lsb == 0) {
            final boolean added = !hasNil;
            hasNil = true;
            return added;
        }
        if (size + 1 > most.length * MAX_LOAD) {
            grow();
        }
        final int mask = most.length - 1;
        for (int slot = slot(msb, lsb, mask); ; slot = (slot + 1) & mask) {
            if (most[slot] == msb && least[slot] == lsb) {
                return false;
            }
            if (most[slot] == 0 && least[slot] == 0) {
                most[slot] = msb;
                least[slot] = lsb;
                size++;
                return true;
            }
        }
    }

    int size() {
        return size + (hasNil ? 1 : 0);
    }

    private void grow() {
        final long[] oldMost = most;
        final long[] oldLeast = least;
        most = new long[oldMost.length * 2];
        least = new long[oldLeast.length * 2];
        size = 0;
        for (int i = 0; i < oldMost.length; i++) {
            if (oldMost[i] != 0 || oldLeast[i] != 0) {
                add(oldMost[i], oldLeast[i]);
            }
        }
    }

    /** The murmur3 finaliser over both halves: sequential ids (a counter in one half) still spread. */
    private static int slot(final long msb, final long lsb, final int mask) {
        long h = msb ^ Long.rotateLeft(lsb, 32);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
