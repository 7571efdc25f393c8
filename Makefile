# deltashare front door. Every target installs what is missing first.
#   make demo   build, create a demo lakehouse, start a server with a ready profile
#   make test   build with ASan+UBSan and run every test
#   make build  optimized build -> build/deltashare
#   make bench  benchmarks (figures go to docs/benchmarks.md by hand)
#   make fuzz   run every libFuzzer target for FUZZ_SECONDS each
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all deps build build-debug test demo bench fuzz format tidy clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build build/release -j $(JOBS)
	@ln -sf release/deltashare build/deltashare

build-debug: deps
	@cmake --preset debug >/dev/null
	@cmake --build build/debug -j $(JOBS)

test: build-debug
	@cd build/debug && ctest --output-on-failure -j $(JOBS) --timeout 1200

demo: build
	@scripts/demo.sh

bench: build
	@scripts/bench.sh

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j $(JOBS)
	@scripts/fuzz.sh $(FUZZ_SECONDS)

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

tidy: build-debug
	@git ls-files 'src/*.cc' | xargs clang-tidy -p build/debug --quiet

clean:
	@rm -rf build
