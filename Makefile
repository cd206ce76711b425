# flowsplit: see README.md. `make run` and `make test` need only Go.
GO        ?= go
BIN       := bin/flowsplit
SAMPLE    := testdata/real/flows-tls-334conns.pcap
FUZZTIME  ?= 3s
export CGO_ENABLED ?= 0

.PHONY: all run build test bench fuzz fuzz-smoke lint clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/flowsplit

# Split a small real capture (334 TLS connections) into 4 outputs under ./out/.
run: build
	rm -rf out && mkdir -p out
	./$(BIN) split -n 4 -o out/worker-%d.pcap --stats-json out/stats.json $(SAMPLE)

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...
	$(MAKE) fuzz-smoke FUZZTIME=2s

# Every fuzz target for FUZZTIME (make fuzz FUZZTIME=5m for a real session).
fuzz-smoke fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

clean:
	rm -rf bin out
