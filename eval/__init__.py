"""The lab: chart and letter generators (`synth`), the eval harness (`harness`), sets and benchmarks. Not part of the installed package."""
