# flowsplit: see README.md. `make run` and `make test` need only Go.
GO        ?= go
BIN       := bin/flowsplit
SAMPLE    := testdata/real/flows-tls-334conns.pcap
FUZZTIME  ?= 3s
export CGO_ENABLED ?= 0

.PHONY: all run build test bench fuzz fuzz-smoke lint clean pgo

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

# Go micro-benchmarks (short runs), then the whole-pipeline benchmark: it
# generates a BENCH_SIZE MB IMIX capture in the temporary directory (read
# from the page cache; a copy on /dev/shm too) and runs flowsplit beside cat
# and a plain fan-out, outputs on /dev/shm (bench/pipeline; about a minute on
# 2 cores).
BENCH_SIZE ?= 512
BENCH_RUNS ?= 3
bench: build
	$(GO) test -run '^$$' -bench . -benchtime 100ms -benchmem ./...
	$(GO) run ./bench/pipeline -size $(BENCH_SIZE) -runs $(BENCH_RUNS) -bin $(BIN)

# Refresh cmd/flowsplit/default.pgo, the CPU profile with which go build
# optimises the binary (profile-guided optimisation: about 10% on the
# routing core): the routing-core and whole-split benchmarks' profiles.
PGO_TMP ?= /tmp/flowsplit-pgo
pgo:
	mkdir -p $(PGO_TMP)
	$(GO) test -run '^$$' -bench BenchmarkRoute -benchtime 1s -cpuprofile $(PGO_TMP)/route.prof ./bench/modebench/
	$(GO) test -run '^$$' -bench BenchmarkRun -benchtime 3x -cpuprofile $(PGO_TMP)/run.prof ./splitter/
	$(GO) tool pprof -proto $(PGO_TMP)/route.prof $(PGO_TMP)/run.prof > cmd/flowsplit/default.pgo

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

clean:
	rm -rf bin out
