package splitter

import (
	"slices"
	"strconv"
	"strings"

	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// noteLinkTypes records the link types of the interfaces declared in the
// pcapng outputs and warns, once, when there come to be several: Wireshark
// and tshark read such files, but libpcap (tcpdump, Zeek, Suricata) stops
// at the first packet of another link type than the first interface's,
// which would otherwise look like a truncated output.
func (e *engine) noteLinkTypes(ifs []pcapio.Interface) {
	before := len(e.linkTypes)
	for _, in := range ifs {
		if !slices.Contains(e.linkTypes, in.LinkType) {
			e.linkTypes = append(e.linkTypes, in.LinkType)
		}
	}
	if before < 2 && len(e.linkTypes) >= 2 {
		names := make([]string, len(e.linkTypes))
		for i, lt := range e.linkTypes {
			names[i] = strconv.Itoa(int(lt))
		}
		e.log.printf("warning: the outputs hold packets of several link types (%s): Wireshark and tshark read them, but libpcap-based readers (tcpdump, Zeek, Suricata) stop at the first packet whose link type is not the first one's",
			strings.Join(names, ", "))
	}
}
