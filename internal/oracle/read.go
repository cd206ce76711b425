package oracle

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Record is one packet as gopacket read it.
type Record struct {
	Time     time.Time
	CapLen   int
	OrigLen  int
	Data     []byte
	LinkType layers.LinkType
}

// ReadFile reads every record of a pcap or pcapng file.
func ReadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f)
}

// Read reads every record of a pcap or pcapng stream.
func Read(r io.Reader) ([]Record, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("read magic: %w", err)
	}
	var out []Record
	if bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		// WantMixedLinkType: without it gopacket silently skips the packets
		// of every interface whose link type differs from the first's.
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, err
		}
		for {
			data, ci, err := ng.ReadPacketData()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return out, err
			}
			lt := layers.LinkTypeEthernet
			if iface, ierr := ng.Interface(ci.InterfaceIndex); ierr == nil {
				lt = iface.LinkType
			}
			out = append(out, Record{ci.Timestamp, ci.CaptureLength, ci.Length, data, lt})
		}
	}
	pr, err := pcapgo.NewReader(br)
	if err != nil {
		return nil, err
	}
	pr.SetSnaplen(1 << 30)
	for {
		data, ci, err := pr.ReadPacketData()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, Record{ci.Timestamp, ci.CaptureLength, ci.Length, data, pr.LinkType()})
	}
}
