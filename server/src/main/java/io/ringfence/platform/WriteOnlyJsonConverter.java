package io.ringfence.platform;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * A converter that writes exactly one answer class as JSON and never reads anything: for answers written straight
 * from stored records instead of through Jackson's bean serializer. Registered as a bean, a subclass comes ahead of
 * Jackson's converter; claiming only its own class, it leaves every other body to Jackson.
 */
public abstract class WriteOnlyJsonConverter<T> extends AbstractHttpMessageConverter<T> {

    private final Class<T> answer;

    protected WriteOnlyJsonConverter(Class<T> answer) {
        super(MediaType.APPLICATION_JSON);
        this.answer = answer;
    }

    @Override
    protected boolean supports(Class<?> clazz) {
        return clazz == answer;
    }

    @Override
    public boolean canRead(Class<?> clazz, MediaType mediaType) {
        return false;
    }

    @Override
    protected T readInternal(Class<? extends T> clazz, HttpInputMessage inputMessage) {
        throw new HttpMessageNotReadableException(answer.getSimpleName() + " is an answer, never read", inputMessage);
    }
}
