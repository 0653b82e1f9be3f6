package store

import (
	"hunt/engine/vec"
	"hunt/kql/types"
)

// pathsReader reads some top-level keys of a dynamic column: from the
// shredded sub-columns where the block has them, else from the whole
// values of the rows whose bags hold keys that were not shredded.
type pathsReader struct {
	whole *chunkReader
	shape *packed // a tag per row; nil: no row of the block is a bag
	subs  map[string]*subReader
}

type subReader struct {
	kindsRef *pageRef
	kinds    *packed // nil: every row holds a string
	strs     *chunkReader
	other    *chunkReader // nil when no row holds another kind
}

func newPathsReader(whole *chunkReader) (*pathsReader, error) {
	pr := &pathsReader{whole: whole, subs: map[string]*subReader{}}
	c := whole.c
	if whole.absent() || c.shape == nil {
		return pr, nil
	}
	shape, err := readTags(whole, *c.shape)
	if err != nil {
		return nil, err
	}
	pr.shape = shape
	return pr, nil
}

// sub returns the reader of a shredded key, or nil when the block did
// not shred it. Its pages are read when first needed.
func (pr *pathsReader) sub(key string) (*subReader, error) {
	if sr, ok := pr.subs[key]; ok {
		return sr, nil
	}
	whole := pr.whole
	var sr *subReader
	if pr.shape != nil {
		for _, s := range whole.c.subs {
			if s.key != key {
				continue
			}
			sr = &subReader{strs: newChunkReader(whole.pf, s.strs, types.String, whole.rows)}
			if s.kinds != nil {
				k, err := readTags(whole, *s.kinds)
				if err != nil {
					return nil, err
				}
				sr.kinds = k
			}
			if s.other != nil {
				sr.other = newChunkReader(whole.pf, s.other, types.Dynamic, whole.rows)
			}
			break
		}
	}
	pr.subs[key] = sr
	return sr, nil
}

// readTags reads a page of packed row tags.
func readTags(r *chunkReader, ref pageRef) (*packed, error) {
	b, err := r.pf.page(ref)
	if err != nil {
		return nil, err
	}
	p, err := readPacked(b, r.rows, tagBits)
	if err != nil {
		return nil, r.corrupt()
	}
	return &p, nil
}

// shapeOf returns the shape tag of row i.
func (pr *pathsReader) shapeOf(i int) byte {
	if pr.shape == nil {
		return shapeNotBag
	}
	return byte(pr.shape.get(i))
}

func (sr *subReader) kind(i int) byte {
	if sr.kinds == nil {
		return kindString
	}
	return byte(sr.kinds.get(i))
}

// isBag reports whether row i holds a property bag.
func (pr *pathsReader) isBag(i int) bool { return pr.shapeOf(i) != shapeNotBag }

// member returns the value of key in row i, as `column.key` gives it:
// null when the row is not a bag or lacks the key.
func (pr *pathsReader) member(key string, i int) (any, error) {
	if !pr.isBag(i) {
		return nil, nil
	}
	sr, err := pr.sub(key)
	if err != nil {
		return nil, err
	}
	if sr != nil {
		switch sr.kind(i) {
		case kindString:
			v, err := sr.strs.gather([]int32{int32(i)})
			if err != nil {
				return nil, err
			}
			return v.Strs[0], nil
		case kindOther:
			if sr.other == nil {
				return nil, pr.whole.corrupt()
			}
			return sr.other.value(i)
		}
		return nil, nil
	}
	if pr.shapeOf(i) != shapeMore {
		return nil, nil
	}
	x, err := pr.whole.value(i)
	if err != nil {
		return nil, err
	}
	if bag, ok := x.(*types.Bag); ok {
		v, _ := bag.Get(key)
		return v, nil
	}
	return nil, nil
}

// gather builds, for rows (ascending), bags holding only keys (those the
// row has); rows that are not bags give null, which every member access
// also gives.
func (pr *pathsReader) gather(keys []string, rows []int32) (*vec.Vec, error) {
	out := vec.New(types.Dynamic, len(rows))
	if pr.shape == nil {
		for range rows {
			out.AppendNull()
		}
		return out, nil
	}
	strs := make([]*vec.Vec, len(keys))
	others := make([]*vec.Vec, len(keys))
	subs := make([]*subReader, len(keys))
	for k, key := range keys {
		sr, err := pr.sub(key)
		if err != nil {
			return nil, err
		}
		subs[k] = sr
		if sr == nil {
			continue
		}
		v, err := sr.strs.gather(rows)
		if err != nil {
			return nil, err
		}
		strs[k] = v
		if sr.other != nil {
			var oth []int32
			for _, i := range rows {
				if sr.kind(int(i)) == kindOther {
					oth = append(oth, i)
				}
			}
			o, err := sr.other.gather(oth)
			if err != nil {
				return nil, err
			}
			others[k] = o
		}
	}
	oi := make([]int, len(keys))
	for j, i := range rows {
		if !pr.isBag(int(i)) {
			out.Dyns = append(out.Dyns, nil)
			for k := range keys {
				if sr := subs[k]; sr != nil && sr.kind(int(i)) == kindOther {
					oi[k]++
				}
			}
			continue
		}
		bag := &types.Bag{Keys: make([]string, 0, len(keys)), Vals: make([]any, 0, len(keys))}
		var whole *types.Bag
		wholeDone := false
		for k, key := range keys {
			if sr := subs[k]; sr != nil {
				switch sr.kind(int(i)) {
				case kindString:
					bag.Keys = append(bag.Keys, key)
					bag.Vals = append(bag.Vals, strs[k].Strs[j])
				case kindOther:
					if others[k] == nil || oi[k] >= len(others[k].Dyns) {
						return nil, pr.whole.corrupt()
					}
					bag.Keys = append(bag.Keys, key)
					bag.Vals = append(bag.Vals, others[k].Dyns[oi[k]])
					oi[k]++
				}
				continue
			}
			if pr.shapeOf(int(i)) != shapeMore {
				continue
			}
			if !wholeDone {
				wholeDone = true
				x, err := pr.whole.value(int(i))
				if err != nil {
					return nil, err
				}
				whole, _ = x.(*types.Bag)
			}
			if whole != nil {
				if v, ok := whole.Get(key); ok {
					bag.Keys = append(bag.Keys, key)
					bag.Vals = append(bag.Vals, v)
				}
			}
		}
		out.Dyns = append(out.Dyns, bag)
	}
	return out, nil
}
