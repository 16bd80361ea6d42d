package org.borderwatch.service.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionsTest {

    private final Regions builtIn = Regions.builtIn();

    @Test
    void shouldListEveryFirstLevelSubdivisionWhenLoadingTheBuiltInList() {
        final Map<String, Long> perCountry = builtIn.all().stream()
                .collect(Collectors.groupingBy(Region::country, Collectors.counting()));
        assertThat(perCountry).containsExactlyInAnyOrderEntriesOf(Map.of(
                "TJ", 5L, "KG", 9L, "KZ", 20L, "UZ", 14L, "TM", 6L, "AF", 34L));
        assertThat(builtIn.all()).extracting(Region::code).contains(
                "TJ-DU", "TJ-GB", "TJ-KT", "TJ-RA", "TJ-SU",
                "KG-B", "KG-C", "KG-GB", "KG-GO", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y",
                "UZ-QR", "UZ-TK", "UZ-SU",
                "TM-A", "TM-B", "TM-D", "TM-L", "TM-M", "TM-S",
                "AF-BDS", "AF-KDZ", "AF-BAL", "AF-JOW", "AF-FYB", "AF-HER", "AF-TAK", "AF-KAB");
    }

    @Test
    void shouldGiveNameCountryAndCoordinatesWhenACodeIsKnown() {
        assertThat(builtIn.find("TJ-KT")).contains(new Region("TJ-KT", "Khatlon", "TJ", 37.8364, 68.7803));
        assertThat(builtIn.find("AF-BDS")).get().extracting(Region::name).isEqualTo("Badakhshan");
        assertThat(builtIn.find("TM-LE")).isEmpty();
        assertThat(builtIn.contains("tj-kt")).isFalse();
    }

    @Test
    void shouldAddAndReplaceRegionsWhenAnExtraFileIsGiven() throws Exception {
        final Regions extended = builtIn.plus(new StringReader("""
                # other member states
                code,name,country,latitude,longitude
                CN-XJ,Xinjiang,CN,43.8256,87.6168
                TJ-KT,Khatlon,TJ,37.9,68.8
                """), "extra.csv");
        assertThat(extended.find("CN-XJ")).contains(new Region("CN-XJ", "Xinjiang", "CN", 43.8256, 87.6168));
        assertThat(extended.find("TJ-KT")).get().extracting(Region::latitude).isEqualTo(37.9);
        assertThat(extended.all()).hasSize(builtIn.all().size() + 1);
        assertThat(builtIn.find("CN-XJ")).isEmpty();
    }

    @Test
    void shouldNameFileAndLineWhenAnExtraFileIsMalformed() {
        assertRefused("code,name\n", "line 1: the first line must be the header");
        assertRefused(Regions.HEADER + "\nCN-XJ,Xinjiang,CN,43.8\n", "line 2: expected 5 comma-separated fields");
        assertRefused(Regions.HEADER + "\ncn-xj,Xinjiang,CN,43.8,87.6\n", "'cn-xj' is not an ISO 3166-2 code");
        assertRefused(Regions.HEADER + "\nCN-XJ,Xinjiang,TJ,43.8,87.6\n", "country 'TJ' must be");
        assertRefused(Regions.HEADER + "\nCN-XJ,Xinjiang,CN,93.8,87.6\n", "'93.8' is not a coordinate");
        assertRefused(Regions.HEADER + "\nCN-XJ,Xinjiang,CN,43.8,87.6\nCN-XJ,X,CN,1,1\n", "line 3: region CN-XJ is listed twice");
    }

    @Test
    void shouldStopTheStartWhenTheConfiguredExtraFileDoesNotExist(@TempDir final Path dir) throws Exception {
        final Path extra = dir.resolve("regions.csv");
        assertThatThrownBy(() -> new RegionsFactory().regions(extra.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("borderwatch.regions.extra-file").hasMessageContaining("does not exist");

        Files.writeString(extra, Regions.HEADER + "\nCN-XJ,Xinjiang,CN,43.8256,87.6168\n");
        assertThat(new RegionsFactory().regions(extra.toString()).contains("CN-XJ")).isTrue();
        assertThat(new RegionsFactory().regions(null).contains("CN-XJ")).isFalse();
    }

    private void assertRefused(final String csv, final String message) {
        assertThatThrownBy(() -> builtIn.plus(new StringReader(csv), "extra.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extra.csv")
                .hasMessageContaining(message);
    }
}
