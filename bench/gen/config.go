package gen

// Config shapes the generated traffic. The zero value of every field means
// its default; a negative share (or a negative Elephants) means none.
type Config struct {
	// Flows is the number of distinct connections (default 10000). It is
	// capped at Packets.
	Flows int
	// Packets is the exact number of frames generated (default 1000000).
	Packets int
	// Seed makes the stream deterministic: the same Config always yields
	// the same bytes and timestamps.
	Seed int64
	// IPv6Share is the share of flows over IPv6 (default 0.3).
	IPv6Share float64
	// VLANShare is the share of flows whose frames carry 802.1Q tags
	// (default 0.2), a tenth of them two tags (802.1ad outer TPID).
	VLANShare float64
	// OneSidedVLAN is the share of flows (part of VLANShare) whose
	// client-to-server frames are tagged and server-to-client frames are
	// not (default 0.02).
	OneSidedVLAN float64
	// FragShare is the share of UDP datagrams that exceed the 1500-byte MTU
	// and are sent as IP fragments (default 0.01); a quarter of those are
	// sent in reverse order.
	FragShare float64
	// Elephants is the number of long TCP flows that together carry about
	// 40% of the packets (default 4; at most a quarter of the flows).
	Elephants int
	// ICMPErrors is the share of flows that receive an ICMP or ICMPv6 error
	// quoting one of their packets (default 0.002): port unreachable for
	// UDP, fragmentation needed / packet too big for TCP.
	ICMPErrors float64
	// Tunnels is the share of flows carried in GRE, VXLAN, Geneve, GTP-U or
	// IP-in-IP (default 0).
	Tunnels float64
}

// Defaults.
const (
	defaultFlows        = 10000
	defaultPackets      = 1_000_000
	defaultIPv6Share    = 0.3
	defaultVLANShare    = 0.2
	defaultOneSidedVLAN = 0.02
	defaultFragShare    = 0.01
	defaultElephants    = 4
	defaultICMPErrors   = 0.002
)

// withDefaults returns cfg with zero fields set to their defaults and
// negative ones to zero.
func (cfg Config) withDefaults() Config {
	cfg.Flows = count(cfg.Flows, defaultFlows)
	cfg.Packets = count(cfg.Packets, defaultPackets)
	if cfg.Elephants == 0 {
		cfg.Elephants = defaultElephants
	}
	cfg.Elephants = max(cfg.Elephants, 0)
	cfg.IPv6Share = share(cfg.IPv6Share, defaultIPv6Share)
	cfg.VLANShare = share(cfg.VLANShare, defaultVLANShare)
	cfg.OneSidedVLAN = share(cfg.OneSidedVLAN, defaultOneSidedVLAN)
	cfg.FragShare = share(cfg.FragShare, defaultFragShare)
	cfg.ICMPErrors = share(cfg.ICMPErrors, defaultICMPErrors)
	cfg.Tunnels = share(cfg.Tunnels, 0)
	return cfg
}

func count(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func share(v, def float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	case v > 1:
		return 1
	}
	return v
}
