package dev.aimc.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aimc.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** The JSON form of every file aimc writes: one shared, indented Jackson mapper (thread-safe once built). */
public final class Json {
    private Json() {}

    /** Indented output; reads with Jackson's defaults. */
    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes {@code value} as indented JSON to {@code target} atomically ({@link AtomicFiles}).
     *
     * @param target the file to create or replace
     * @param value the object, serialised by Jackson
     * @throws IOException when writing fails; {@code target} is then unchanged
     */
    public static void write(Path target, Object value) throws IOException {
        byte[] b = PRETTY.writeValueAsBytes(value);
        AtomicFiles.write(target, out -> out.write(b));
    }
}
