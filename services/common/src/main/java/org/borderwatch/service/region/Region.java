package org.borderwatch.service.region;

/**
 * A first-level subdivision (ISO 3166-2) with a representative point, normally its administrative center.
 *
 * @param code      ISO 3166-2 code, e.g. {@code TJ-KT}
 * @param name      English name, e.g. {@code Khatlon}
 * @param country   ISO 3166-1 alpha-2 code, e.g. {@code TJ}
 * @param latitude  WGS 84 decimal degrees
 * @param longitude WGS 84 decimal degrees
 */
public record Region(String code, String name, String country, double latitude, double longitude) {
}
