package dev.aimc.data;

import dev.aimc.util.DataFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal reader of tar archives (POSIX ustar and GNU long names), enough for the CIFAR-10 archive: 512-byte
 * headers, octal sizes, data padded to 512 bytes. Written here because Apache Commons Compress, reachable through
 * DJL, lacks its commons-lang3 dependency on aimc's class path.
 */
final class TarReader {
    private final InputStream in;
    private final String name;
    private long remaining;
    private long padding;

    /** One member of the archive. */
    record Entry(String name, boolean directory, boolean file, long size) {}

    TarReader(InputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    /** The next entry, or null at the end; its data can then be read from {@link #data()}. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        while (true) {
            byte[] h = in.readNBytes(512);
            if (h.length == 0) {
                return null;
            }
            if (h.length < 512) {
                throw new DataFormatException(name + ": truncated tar header");
            }
            if (allZero(h)) {
                return null;
            }
            checkSum(h);
            long size = octal(h, 124, 12);
            char type = (char) h[156];
            String n = longName != null ? longName : str(h, 0, 100);
            longName = null;
            String prefix = str(h, 345, 155);
            if (!prefix.isEmpty() && str(h, 257, 6).startsWith("ustar") && n.equals(str(h, 0, 100))) {
                n = prefix + "/" + n;
            }
            if (type == 'L') { // GNU long name: data is the name of the next entry
                longName = new String(readExactly(size), StandardCharsets.UTF_8).replace("\0", "");
                skip(pad(size));
                continue;
            }
            if (type == 'x' || type == 'g') { // pax headers: not needed for CIFAR, skip
                skip(size + pad(size));
                continue;
            }
            remaining = size;
            padding = pad(size);
            boolean dir = type == '5' || n.endsWith("/");
            return new Entry(n, dir, !dir && (type == '0' || type == 0), size);
        }
    }

    /** A stream over the current entry's data. */
    InputStream data() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int k = in.read(b, off, (int) Math.min(len, remaining));
                if (k < 0) {
                    throw new DataFormatException(name + ": truncated tar entry data");
                }
                remaining -= k;
                return k;
            }
        };
    }

    private byte[] readExactly(long n) throws IOException {
        if (n > 1 << 20) {
            throw new DataFormatException(name + ": tar long name of " + n + " bytes");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) {
            throw new DataFormatException(name + ": truncated tar archive");
        }
        return b;
    }

    private void skip(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new DataFormatException(name + ": truncated tar archive");
        }
    }

    private static long pad(long size) {
        return (512 - size % 512) % 512;
    }

    private void checkSum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xFF;
        }
        if (sum != octal(h, 148, 8)) {
            throw new DataFormatException(name + ": bad tar header checksum (not a tar archive or corrupt)");
        }
    }

    private long octal(byte[] h, int off, int len) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = h[i];
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw new DataFormatException(name + ": bad octal number in tar header");
            }
            v = v * 8 + (c - '0');
            any = true;
        }
        return v;
    }

    private static String str(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
