package io.ringfence.platform;

import java.lang.reflect.Method;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query and path parameters typed as the contract's enums take the wire values ({@code health=unhealthy}),
 * as the OpenAPI document says, not the Java constant names.
 */
@Configuration(proxyBeanMethods = false)
public class ContractEnumConverters implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverterFactory(new WireValueEnumConverterFactory());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class WireValueEnumConverterFactory implements ConverterFactory<String, Enum> {
        @Override
        public <T extends Enum> Converter<String, T> getConverter(Class<T> type) {
            return source -> {
                try {
                    Method fromValue = type.getMethod("fromValue", String.class);
                    return (T) fromValue.invoke(null, source);
                } catch (NoSuchMethodException notContract) {
                    return (T) Enum.valueOf(type, source.trim());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("'" + source + "' is not a valid value", e);
                }
            };
        }
    }
}
