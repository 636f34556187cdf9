package dev.tally.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what an ordinary client never sends: partial requests, slow
 * bytes, a request line without a version, many connections from chosen loopback addresses.
 */
final class RawHttp {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RawHttp() {
    }

    /** A connection to the server on loopback from {@code from} (127.0.0.2 and so on work on Linux). */
    static Socket connect(int port, InetAddress from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static InetAddress loopback(int third, int fourth) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) third, (byte) fourth});
    }

    static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Reads one response: its head, then as many body bytes as its Content-Length says. */
    static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
        }
        String headText = head.toString(StandardCharsets.US_ASCII);
        int length = Integer.parseInt(header(headText, "content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(Integer.parseInt(headText.substring(9, 12)), headText,
                new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server has closed the connection: nothing more to read but the end. */
    static boolean closedByServer(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String header(String head, String name, String otherwise) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return otherwise;
    }

    record Answer(int status, String head, String body) {

        String header(String name) {
            return RawHttp.header(head, name.toLowerCase(Locale.ROOT), "");
        }

        JsonNode json() throws IOException {
            return MAPPER.readTree(body);
        }

        @Override
        public String toString() {
            return head + body;
        }
    }
}
