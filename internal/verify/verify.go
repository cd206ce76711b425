package verify

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/flowsplit/flowsplit/hashing"
	"github.com/flowsplit/flowsplit/internal/decode"
	"github.com/flowsplit/flowsplit/internal/pcapio"
)

// Options say what a flow is.
type Options struct {
	Hash       hashing.Config
	Tunnels    bool // key tunnelled packets by the inner header
	ICMPErrors bool // key ICMP errors by the header they quote
}

// Output is what one output holds.
type Output struct {
	Path    string
	Packets int // records read
	NonIP   int // records without a readable IP header (not judged)
	Flows   int // distinct flows
}

// Split is a flow found on more than one output.
type Split struct {
	Flow    string
	Outputs []int // output indexes, ascending
}

// Report is the result of Files.
type Report struct {
	Outputs []Output
	Flows   int
	Split   []Split
}

// pending is a non-first fragment waiting to be placed by its datagram.
type pending struct {
	dg  hashing.Key
	out int
}

// checker accumulates flows over the outputs.
type checker struct {
	o      Options
	key    hashing.Config // o.Hash, lfu keyed as 5tuple
	flows  map[hashing.Key][]int
	firsts map[hashing.Key]hashing.Key // datagram -> flow of its first fragment
	frags  []pending
	pkt    decode.Packet
}

// Files reads the outputs at paths (pcap or pcapng) and checks that every
// flow is on one of them.
func Files(paths []string, o Options) (*Report, error) {
	c := &checker{o: o, key: o.Hash, flows: map[hashing.Key][]int{}, firsts: map[hashing.Key]hashing.Key{}}
	if c.key.Mode == hashing.ModeLFU {
		c.key.Mode = hashing.Mode5Tuple
	}
	rep := &Report{Outputs: make([]Output, len(paths))}
	for i, p := range paths {
		rep.Outputs[i].Path = p
		if err := c.file(i, p, &rep.Outputs[i]); err != nil {
			return nil, err
		}
	}
	for _, f := range c.frags {
		k, ok := c.firsts[f.dg]
		if !ok {
			k = f.dg
		}
		c.add(k, f.out)
	}
	perOut := make([]int, len(paths))
	for k, outs := range c.flows {
		for _, o := range outs {
			perOut[o]++
		}
		if len(outs) > 1 {
			sort.Ints(outs)
			rep.Split = append(rep.Split, Split{Flow: FormatKey(&k), Outputs: outs})
		}
	}
	for i := range rep.Outputs {
		rep.Outputs[i].Flows = perOut[i]
	}
	sort.Slice(rep.Split, func(i, j int) bool { return rep.Split[i].Flow < rep.Split[j].Flow })
	rep.Flows = len(c.flows)
	return rep, nil
}

// file reads output i.
func (c *checker) file(i int, path string, st *Output) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rd, err := pcapio.NewReader(f, pcapio.ReaderOptions{Name: path})
	if err != nil {
		return fmt.Errorf("output %d: %w", i, err)
	}
	var rec pcapio.Record
	for {
		err := rd.Next(&rec)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("output %d: %w", i, err)
		}
		st.Packets++
		if !c.record(&rec, i) {
			st.NonIP++
		}
	}
}

// record files one record of output out; false when it is not IP.
func (c *checker) record(rec *pcapio.Record, out int) bool {
	p := &c.pkt
	p.Decode(rec.LinkType, rec.Data, decode.Options{Tunnels: c.o.Tunnels, ICMPErrors: c.o.ICMPErrors})
	if p.Kind != decode.KindIPv4 && p.Kind != decode.KindIPv6 {
		return false
	}
	t := hashing.Tuple{Src: p.Src, Dst: p.Dst, Proto: p.Proto, IPv6: p.Kind == decode.KindIPv6, VLAN: p.VLAN, InnerVLAN: p.InnerVLAN}
	if p.HasPorts {
		t.SrcPort, t.DstPort = p.SrcPort, p.DstPort
	}
	k := c.key.Key(&t)
	if p.IsFragment && c.key.Mode.UsesPorts() {
		dg := hashing.Key{A: p.Src, B: p.Dst, Proto: p.Proto, Family: 4, PortA: uint16(p.FragID >> 16), PortB: uint16(p.FragID), VLAN: datagramMark}
		if t.IPv6 {
			dg.Family = 6
		}
		if c.key.VLAN {
			dg.InnerVLAN = p.VLAN
		}
		if p.FragOffset != 0 {
			c.frags = append(c.frags, pending{dg, out})
			return true
		}
		c.firsts[dg] = k
	}
	c.add(k, out)
	return true
}

// add notes flow k on output out.
func (c *checker) add(k hashing.Key, out int) {
	outs := c.flows[k]
	for _, o := range outs {
		if o == out {
			return
		}
	}
	c.flows[k] = append(outs, out)
}
