// Tests reach the bounded primitives and ChildProcess through the test support, as before they
// moved to FlyGateHarness (which the benchmarks use too, and a product may not use a test target).
@_exported import FlyGateHarness
