# airlock: `make run` builds and starts the appliance; `make test` runs the test suite.
.PHONY: install system-deps build exe run test typecheck clean

STAMP := node_modules/.airlock-installed

install: $(STAMP)

# npm ci compiles better-sqlite3 from source (no prebuilt download offline): a few minutes, once.
$(STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $(STAMP)

# Debian packages the test suites use (debootstrap, umoci, skopeo, docker-registry, rpm, ...).
system-deps:
	bash scripts/system-deps.sh

build: install
	node bundle/build-js.mjs

exe: install
	node bundle/build-exe.mjs

run: exe
	./dist/airlock serve

typecheck: install
	npx tsc --noEmit

test: install system-deps
	npx vitest run

clean:
	rm -rf dist
