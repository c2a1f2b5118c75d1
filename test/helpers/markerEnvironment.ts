// The marker environment the PEP 508 tests evaluate against (unit, and the differential test
// against packaging): a CPython 3.11.7 on x86_64 Linux, as the Python probe reports it.
export const LINUX_CPYTHON_311 = {
  implementation_name: "cpython",
  implementation_version: "3.11.7",
  os_name: "posix",
  platform_machine: "x86_64",
  platform_release: "6.1.0-18-amd64",
  platform_system: "Linux",
  platform_version: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
  python_full_version: "3.11.7",
  platform_python_implementation: "CPython",
  python_version: "3.11",
  sys_platform: "linux",
};
