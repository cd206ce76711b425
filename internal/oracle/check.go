package oracle

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"strings"
)

// Split is the result of comparing a split with its input.
type Split struct {
	// Flows is how many distinct flows (of the options' mode) were seen.
	Flows int
	// PerOutput counts the packets of each output.
	PerOutput []int
}

// CheckSplit verifies that outs are a flow-consistent split of in:
//   - the multiset of records (timestamp, lengths, bytes) out equals in;
//   - each output's records appear in input order;
//   - every flow of o (see FlowKey) is on exactly one output.
//
// With o.Datagrams, fragments are judged by their datagram's flow; with
// o.FlowOrder, order is checked per flow rather than per output.
//
// weird, when non-nil, holds the records of a separate weird output: they
// take part in the multiset check but not in the order or flow checks.
func CheckSplit(in []Record, outs [][]Record, weird []Record, o KeyOptions) (Split, error) {
	// Index input records by content; duplicates keep a queue of indexes.
	pos := map[uint64][]int{}
	for i, r := range in {
		h := recHash(r)
		pos[h] = append(pos[h], i)
	}
	take := func(r Record) (int, bool) {
		h := recHash(r)
		q := pos[h]
		for j, i := range q {
			if sameRecord(in[i], r) {
				pos[h] = append(q[:j:j], q[j+1:]...)
				return i, true
			}
		}
		return 0, false
	}
	var res Split
	var problems []string
	flowOut := map[string]int{}
	var firsts map[string][]firstFrag
	if o.Datagrams {
		firsts = firstFragments(in, o)
	}
	flowLast := map[string]int{}
	for o2, recs := range outs {
		res.PerOutput = append(res.PerOutput, len(recs))
		last := -1
		for k, r := range recs {
			i, ok := take(r)
			if !ok {
				problems = append(problems, fmt.Sprintf("output %d record %d: not in the input (or duplicated)", o2, k))
				continue
			}
			if i < last && !o.FlowOrder {
				problems = append(problems, fmt.Sprintf("output %d record %d: input record %d after input record %d: order changed", o2, k, i, last))
			}
			last = i
			inf, ok := inspect(r, o)
			if !ok {
				continue
			}
			key := inf.key
			if o.Datagrams && inf.dg != "" {
				key = datagramFlow(inf, firsts, i)
			}
			if o.FlowOrder {
				if l, seen := flowLast[key]; seen && i < l {
					problems = append(problems, fmt.Sprintf("output %d record %d: input record %d after input record %d of flow %s: order changed", o2, k, i, l, key))
				}
				flowLast[key] = i
			}
			if prev, seen := flowOut[key]; seen && prev != o2 {
				problems = append(problems, fmt.Sprintf("flow %s on outputs %d and %d", key, prev, o2))
			}
			flowOut[key] = o2
		}
	}
	for k, r := range weird {
		if _, ok := take(r); !ok {
			problems = append(problems, fmt.Sprintf("weird record %d: not in the input", k))
		}
	}
	missing := 0
	for _, q := range pos {
		missing += len(q)
	}
	if missing > 0 {
		problems = append(problems, fmt.Sprintf("%d input records missing from the outputs", missing))
	}
	res.Flows = len(flowOut)
	if len(problems) > 0 {
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("... and %d more", len(problems)-10))
		}
		return res, fmt.Errorf("split check failed:\n  %s", strings.Join(problems, "\n  "))
	}
	return res, nil
}

func recHash(r Record) uint64 {
	h := fnv.New64a()
	h.Write(r.Data)
	fmt.Fprintf(h, "%d %d %d", r.Time.UnixNano(), r.CapLen, r.OrigLen)
	return h.Sum64()
}

func sameRecord(a, b Record) bool {
	return a.Time.Equal(b.Time) && a.CapLen == b.CapLen && a.OrigLen == b.OrigLen && bytes.Equal(a.Data, b.Data)
}

// firstFrag is a first fragment of the input: its index and flow key.
type firstFrag struct {
	index int
	flow  string
}

// firstFragments indexes the first fragments of in by datagram key.
func firstFragments(in []Record, o KeyOptions) map[string][]firstFrag {
	m := map[string][]firstFrag{}
	for i, r := range in {
		if inf, ok := inspect(r, o); ok && inf.first {
			m[inf.dg] = append(m[inf.dg], firstFrag{i, inf.flow})
		}
	}
	return m
}

// datagramFlow returns the flow of the fragment inf (input index i): the
// flow of the nearest first fragment of its datagram, or its own key.
func datagramFlow(inf info, firsts map[string][]firstFrag, i int) string {
	if inf.first {
		return inf.flow
	}
	best, dist := inf.key, -1
	for _, f := range firsts[inf.dg] {
		d := f.index - i
		if d < 0 {
			d = -d
		}
		if dist < 0 || d < dist {
			best, dist = f.flow, d
		}
	}
	return best
}
