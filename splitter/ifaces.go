package splitter

import "github.com/flowsplit/flowsplit/internal/pcapio"

// ifaceMap numbers the interfaces the outputs declare (pcapng) across
// several inputs. The first input's interfaces keep their reader's
// numbers, so one input comes out exactly as it went in. An interface of a
// later input is the first declared one of the same link type and name
// (classic pcap files have no names: the same link type), else a new one:
// a directory of files rotated from one capture comes out with the
// interfaces of its first file, not one more per file.
type ifaceMap struct {
	global []pcapio.Interface
	local  []int // the current input's interface i is global[local[i]]
	later  bool  // the current input is not the first
}

// sync maps the interfaces of the current input that are not mapped yet
// (ifs is its reader's list, which only grows).
func (m *ifaceMap) sync(ifs []pcapio.Interface) {
	for i := len(m.local); i < len(ifs); i++ {
		in := ifs[i]
		g := -1
		if m.later {
			for j, d := range m.global {
				if d.LinkType == in.LinkType && d.Name == in.Name {
					g = j
					m.global[j].SnapLen = max(d.SnapLen, in.SnapLen)
					break
				}
			}
		}
		if g < 0 {
			m.global = append(m.global, in)
			g = len(m.global) - 1
		}
		m.local = append(m.local, g)
	}
}

// next starts the mapping of the next input.
func (m *ifaceMap) next() {
	m.local = m.local[:0]
	m.later = true
}
