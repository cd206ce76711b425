package decode

import "encoding/binary"

// Teredo (RFC 4380) indications that may precede the IPv6 packet in a UDP
// payload.
const (
	teredoIndicationAuth   = 0x0001
	teredoIndicationOrigin = 0x0000
	// teredoAuthFixedLen is the authentication indication without its
	// client identifier and authentication value: type, ID length,
	// AU length, nonce, confirmation.
	teredoAuthFixedLen = 13
	teredoAuthIDLenOff = 2
	teredoAuthAULenOff = 3
	teredoOriginLen    = 8 // type, obfuscated port, obfuscated address
)

// decodeTeredo decapsulates the IPv6 packet in a Teredo payload, after the
// optional authentication and origin indications. It accepts the payload
// only when an IPv6 header follows whose payload length fills exactly the
// rest of the UDP datagram (udpPayloadLen bytes by the UDP length field,
// of which b may hold fewer when the capture was cut).
func (p *Packet) decodeTeredo(b []byte, udpPayloadLen int, opts Options, depth uint8) {
	n := 0
	if len(b) >= teredoAuthFixedLen && binary.BigEndian.Uint16(b) == teredoIndicationAuth {
		n += teredoAuthFixedLen + int(b[teredoAuthIDLenOff]) + int(b[teredoAuthAULenOff])
	}
	if n+teredoOriginLen <= len(b) && binary.BigEndian.Uint16(b[n:]) == teredoIndicationOrigin {
		n += teredoOriginLen
	}
	if n+ip6HeaderLen > len(b) {
		return
	}
	ip6 := b[n:]
	if ip6[0]>>ipVersionShift != ipVersion6 {
		return
	}
	if ip6HeaderLen+int(binary.BigEndian.Uint16(ip6[ip6PayloadLenOffset:])) != udpPayloadLen-n {
		return
	}
	p.decapsulate(payloadIPv6, 0, ip6, opts, depth)
}
