package org.borderwatch.bench.workload;

import java.util.List;

/**
 * A first-level subdivision (ISO 3166-2) that generated reports come from, with a representative point for their
 * location.
 *
 * @param code    ISO 3166-2, e.g. {@code TJ-KT}; the record key of every report from the region
 * @param country ISO 3166-1 alpha-2: the part before the dash, the aggregator's roll-up level
 */
public record Region(String code, String country, double latitude, double longitude) {

    /**
     * 51 regions of five countries, taken from the regions borderwatch knows out of the box (services/common
     * {@code regions.csv}): enough keys that the six input partitions are unevenly but realistically loaded.
     */
    public static final List<Region> CENTRAL_ASIA = List.of(
            of("TJ-DU", 38.5598, 68.7870), of("TJ-GB", 37.4897, 71.5531), of("TJ-KT", 37.8364, 68.7803),
            of("TJ-RA", 38.5563, 69.0135), of("TJ-SU", 40.2826, 69.6222),
            of("KG-B", 40.0625, 70.8194), of("KG-C", 42.8417, 75.3015), of("KG-GB", 42.8746, 74.5698),
            of("KG-GO", 40.5283, 72.7985), of("KG-J", 40.9333, 73.0000), of("KG-N", 41.4287, 75.9911),
            of("KG-O", 40.5140, 72.8161), of("KG-T", 42.5228, 72.2427), of("KG-Y", 42.4907, 78.3936),
            of("KZ-10", 50.4111, 80.2275), of("KZ-11", 53.2833, 69.3833), of("KZ-15", 50.2839, 57.1670),
            of("KZ-19", 43.8667, 77.0667), of("KZ-23", 47.1167, 51.8833), of("KZ-27", 51.2333, 51.3667),
            of("KZ-31", 42.9000, 71.3667), of("KZ-33", 45.0156, 78.3739), of("KZ-35", 49.8047, 73.1094),
            of("KZ-39", 53.2144, 63.6246), of("KZ-43", 44.8528, 65.5092), of("KZ-47", 43.6500, 51.1667),
            of("KZ-55", 52.2833, 76.9667), of("KZ-59", 54.8667, 69.1500), of("KZ-61", 43.3000, 68.2500),
            of("KZ-62", 47.7833, 67.7000), of("KZ-63", 49.9483, 82.6275), of("KZ-71", 51.1694, 71.4491),
            of("KZ-75", 43.2389, 76.8897), of("KZ-79", 42.3000, 69.6000),
            of("UZ-AN", 40.7821, 72.3442), of("UZ-BU", 39.7747, 64.4286), of("UZ-FA", 40.3864, 71.7864),
            of("UZ-JI", 40.1158, 67.8422), of("UZ-NG", 40.9983, 71.6726), of("UZ-NW", 40.0844, 65.3792),
            of("UZ-QA", 38.8606, 65.7891), of("UZ-QR", 42.4531, 59.6103), of("UZ-SA", 39.6542, 66.9597),
            of("UZ-SI", 40.4897, 68.7842), of("UZ-SU", 37.2242, 67.2783), of("UZ-TK", 41.2995, 69.2401),
            of("UZ-TO", 41.0417, 69.3583), of("UZ-XO", 41.5500, 60.6333),
            of("TM-A", 37.8875, 58.5160), of("TM-B", 39.5108, 54.3671), of("TM-D", 41.8363, 59.9666));

    private static Region of(final String code, final double latitude, final double longitude) {
        return new Region(code, code.substring(0, code.indexOf('-')), latitude, longitude);
    }
}
