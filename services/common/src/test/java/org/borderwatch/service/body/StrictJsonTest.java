package org.borderwatch.service.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** One JSON document, strictly UTF-8: nothing a lenient parser would guess or repair gets through. */
class StrictJsonTest {

    @Test
    void shouldRefuseOtherEncodingsWhenJacksonAloneWouldGuessThem() {
        // Jackson's byte parser detects UTF-16 from the zero bytes; here it is a body that is not UTF-8 JSON.
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": \"é\"}".getBytes(StandardCharsets.UTF_16LE)))
                .isInstanceOf(MalformedBodyException.class);
        assertThatThrownBy(() -> StrictJson.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF,
                '"', '}'})).isInstanceOf(MalformedBodyException.class).hasMessageContaining("at byte offset 6")
                .satisfies(e -> assertThat(((MalformedBodyException) e).rule()).isEqualTo(BodyRules.UTF_8));
        // Zero bytes are well-formed UTF-8, and these are {} in UTF-16LE, which Jackson alone would accept.
        assertThatThrownBy(() -> StrictJson.parse("{}".getBytes(StandardCharsets.UTF_16LE)))
                .isInstanceOf(MalformedBodyException.class)
                .satisfies(e -> assertThat(((MalformedBodyException) e).rule()).isEqualTo(BodyRules.MALFORMED_JSON));
    }

    @Test
    void shouldNameTheRuleWhenTheBodyIsEmptyOrNotOneDocument() {
        assertThatThrownBy(() -> StrictJson.parse(" \n".getBytes(StandardCharsets.UTF_8)))
                .satisfies(e -> assertThat(((MalformedBodyException) e).rule()).isEqualTo(BodyRules.EMPTY_BODY));
        assertThatThrownBy(() -> StrictJson.parse("{\"a\": 1, \"a\": 2}".getBytes(StandardCharsets.UTF_8)))
                .satisfies(e -> assertThat(((MalformedBodyException) e).rule()).isEqualTo(BodyRules.MALFORMED_JSON));
        assertThatThrownBy(() -> StrictJson.parse("{\"l\": [{\"b\": {\"x\": null, \"x\": null}}]}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("Duplicate field 'x'")
                .satisfies(e -> assertThat(((MalformedBodyException) e).rule()).isEqualTo(BodyRules.MALFORMED_JSON));
    }

    @Test
    void shouldIgnoreAByteOrderMarkWhenTheBodyStartsWithOne() throws Exception {
        final byte[] body = ("\uFEFF{\"region\": \"Хатлон\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(StrictJson.parse(body).get("region").getStringValue()).isEqualTo("Хатлон");
    }

    @Test
    void shouldReadOnlyTheLineWhenGivenPartOfABody() throws Exception {
        final byte[] body = "{\"a\": 1}\n{\"region\": \"Хатлон\"}\n{".getBytes(StandardCharsets.UTF_8);
        final int from = "{\"a\": 1}\n".length();
        final int to = body.length - 2;

        assertThat(StrictJson.parse(body, from, to).get("region").getStringValue()).isEqualTo("Хатлон");
        assertThatThrownBy(() -> StrictJson.parse(body, from, body.length))
                .satisfies(e -> assertThat(((MalformedBodyException) e).rule()).isEqualTo(BodyRules.MALFORMED_JSON));
    }
}
