package dev.tally.adapter.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.tally.domain.Money;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * How every amount of money is written: US dollars as a JSON number with exactly
 * {@value Money#SCALE} decimal places ({@code 2.920000}, {@code 0.000000}), whatever scale it was
 * computed at, so that one answer never shows {@code 2.92} beside {@code 2.920000}. Fields of
 * money carry {@code @JsonSerialize(using = UsdAmount.class)}.
 */
final class UsdAmount extends StdSerializer<BigDecimal> {

    private static final long serialVersionUID = 1L;

    UsdAmount() {
        super(BigDecimal.class);
    }

    @Override
    public void serialize(BigDecimal value, JsonGenerator json, SerializerProvider provider) throws IOException {
        json.writeNumber(Money.usd(value));
    }
}
