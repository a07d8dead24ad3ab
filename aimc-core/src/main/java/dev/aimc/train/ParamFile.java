package dev.aimc.train;

import dev.aimc.util.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named-array file of a checkpoint ({@code model.params}, {@code optimizer.params}), big-endian framing:
 * magic {@code "AIMCPRM1"} (8 ASCII bytes); int32 count; then per array: name (Java modified UTF-8,
 * {@code writeUTF}), int32 rank, rank × int64 dims, the float32 values little-endian (row-major).
 */
public final class ParamFile {
    private ParamFile() {}

    static final byte[] MAGIC = "AIMCPRM1".getBytes(StandardCharsets.US_ASCII);

    /** A named float32 array read from a file. */
    public record Entry(long[] shape, float[] values) {}

    /**
     * Encodes named arrays (as shape + values) to bytes.
     *
     * @param arrays named arrays, written in map order
     * @return "AIMCPRM1", count, then per array its name, rank, dimensions and little-endian float32 values
     */
    public static byte[] encode(Map<String, Entry> arrays) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.write(MAGIC);
            out.writeInt(arrays.size());
            for (Map.Entry<String, Entry> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                long[] s = e.getValue().shape();
                out.writeInt(s.length);
                for (long d : s) {
                    out.writeLong(d);
                }
                float[] v = e.getValue().values();
                ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(v);
                out.write(bb.array());
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Throws {@link DataFormatException} naming {@code source} and array {@code name} when {@code values} holds a NaN
     * or an infinity.
     */
    static void checkFinite(String source, String name, float[] values) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new DataFormatException(source + ": array " + name + " holds " + bad + " NaN or infinite value"
                    + (bad == 1 ? "" : "s") + " (first at index " + first + ": " + values[first]
                    + "); a diverged or corrupt network cannot be used");
        }
    }

    /**
     * Reads a file written by {@link #encode}; {@link DataFormatException} naming the file if it is not one.
     *
     * @param file the file
     * @return the arrays by name, in file order
     */
    public static Map<String, Entry> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": missing");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Decodes bytes written by {@link #encode}; {@code source} names them in errors. Every value must be finite: a
     * NaN or infinite weight (a diverged run, a corrupt file) is a {@link DataFormatException}, so no network with
     * such weights is evaluated, programmed or trained on.
     *
     * @param bytes the encoded arrays
     * @param source the file name used in error messages
     * @return the arrays by name, in encoded order
     * @throws DataFormatException naming {@code source} when the bytes are malformed or a value is not finite
     */
    public static Map<String, Entry> decode(byte[] bytes, String source) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte[] magic = new byte[8];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new DataFormatException(source + ": not an aimc parameter file (bad magic)");
            }
            int count = in.readInt();
            if (count < 0 || count > 1_000_000) {
                throw new DataFormatException(source + ": bad array count " + count);
            }
            Map<String, Entry> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new DataFormatException(source + ": array " + name + " has bad rank " + rank);
                }
                long[] shape = new long[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    if (shape[d] < 0) {
                        throw new DataFormatException(source + ": array " + name + " has a negative dimension");
                    }
                    size *= shape[d];
                }
                if (size * 4 > in.available()) {
                    throw new DataFormatException(source + ": truncated in array " + name);
                }
                byte[] raw = new byte[(int) size * 4];
                in.readFully(raw);
                float[] v = new float[(int) size];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                checkFinite(source, name, v);
                out.put(name, new Entry(shape, v));
            }
            if (in.available() != 0) {
                throw new DataFormatException(source + ": " + in.available() + " trailing bytes");
            }
            return out;
        } catch (EOFException e) {
            throw new DataFormatException(source + ": truncated", e);
        } catch (IOException e) {
            throw new DataFormatException(source + ": " + e.getMessage(), e);
        }
    }
}
