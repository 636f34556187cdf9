package dev.tally.application.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Whether an address is globally routable unicast (R77): not in any block of IANA's IPv4 and IPv6
 * special-purpose address registries, not multicast, and, for IPv6, in global unicast 2000::/3.
 * An IPv6 form that carries an IPv4 address to the network (IPv4-mapped, NAT64 64:ff9b::/96, 6to4)
 * is judged by the IPv4 address it carries; the other embedding forms (IPv4-compatible, local NAT64
 * 64:ff9b:1::/48, Teredo) are refused outright.
 */
final class GlobalUnicast {

    /** A block of addresses: {@code bits} leading bits of {@code prefix}. */
    private record Block(byte[] prefix, int bits) {

        static Block of(String prefix, int bits) {
            try {
                return new Block(InetAddress.getByName(prefix).getAddress(), bits);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(prefix, e);
            }
        }

        /** IPv6 blocks are written as IPv6 even when Java would read them as IPv4-mapped. */
        static Block v6(int... words) {
            byte[] bytes = new byte[16];
            for (int i = 0; i < words.length - 1; i++) {
                bytes[2 * i] = (byte) (words[i] >> 8);
                bytes[2 * i + 1] = (byte) words[i];
            }
            return new Block(bytes, words[words.length - 1]);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit += 8) {
                int mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
                if (((address[bit / 8] ^ prefix[bit / 8]) & mask) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** IPv4 special-purpose registry, multicast 224.0.0.0/4 and reserved 240.0.0.0/4 (with 255.255.255.255). */
    private static final List<Block> IPV4_SPECIAL = List.of(
            Block.of("0.0.0.0", 8), Block.of("10.0.0.0", 8), Block.of("100.64.0.0", 10), Block.of("127.0.0.0", 8),
            Block.of("169.254.0.0", 16), Block.of("172.16.0.0", 12), Block.of("192.0.0.0", 24),
            Block.of("192.0.2.0", 24), Block.of("192.31.196.0", 24), Block.of("192.52.193.0", 24),
            Block.of("192.88.99.0", 24), Block.of("192.168.0.0", 16), Block.of("192.175.48.0", 24),
            Block.of("198.18.0.0", 15), Block.of("198.51.100.0", 24), Block.of("203.0.113.0", 24),
            Block.of("224.0.0.0", 4), Block.of("240.0.0.0", 4));

    private static final Block GLOBAL_UNICAST_V6 = Block.v6(0x2000, 3);
    /** IPv6 special-purpose blocks inside 2000::/3 (IETF protocol assignments with Teredo, documentation, AS112). */
    private static final List<Block> IPV6_SPECIAL = List.of(Block.v6(0x2001, 0, 23), Block.v6(0x2001, 0xdb8, 32),
            Block.v6(0x2620, 0x4f, 0x8000, 48), Block.v6(0x3fff, 0, 20));
    private static final Block SIX_TO_FOUR = Block.v6(0x2002, 16);
    private static final Block NAT64 = Block.v6(0x64, 0xff9b, 0, 0, 0, 0, 96);
    private static final Block IPV4_MAPPED = Block.v6(0, 0, 0, 0, 0, 0xffff, 96);

    private GlobalUnicast() {
    }

    static boolean is(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(bytes);
        }
        if (IPV4_MAPPED.contains(bytes) || NAT64.contains(bytes)) {
            return ipv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return ipv4(Arrays.copyOfRange(bytes, 2, 6));
        }
        return GLOBAL_UNICAST_V6.contains(bytes) && IPV6_SPECIAL.stream().noneMatch(block -> block.contains(bytes));
    }

    private static boolean ipv4(byte[] bytes) {
        return IPV4_SPECIAL.stream().noneMatch(block -> block.contains(bytes));
    }
}
