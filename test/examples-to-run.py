#! /usr/bin/env python3
# -*- coding: utf-8 -*-

# A list of C++ examples to run in order to ensure that they remain
# buildable and runnable over time.  Each tuple in the list contains
#
#     (example_name, do_run, do_valgrind_run).
#
# See test.py for more information.
cpp_examples = [
    ("mtp-rpc-echo", "True", "True"),
    ("mtp-rpc-echo-ipv6", "True", "True"),
    ("mtp-packet-types", "True", "True"),
    ("mtp-packet-types --ipv6", "True", "False"),
    ("ipn-hub-chat", "True", "True"),
    ("ipn-hub-chat --apps=4 --lossless --pool=2 --slow=50us", "True", "False"),
    ("ipn-vde-lan", "True", "True"),
    ("ipn-vde-lan --hosts=4 --rpcs=5", "True", "False"),
    ("mtp-datacenter --racks=2 --hostsPerRack=4 --spines=2 --workload=w5 --load=0.5 --simTime=1ms --warmup=0.2ms --drain=1ms --protocol=both --allowUnfinished --progress=0 --out=mtp-datacenter-test-out", "True", "False"),
    ("mtp-datacenter --topology=fattree --k=4 --workload=w3 --load=0.5 --simTime=0.5ms --warmup=0.1ms --drain=1ms --protocol=mtp --progress=0 --out=mtp-datacenter-test-out", "True", "False"),
    ("mtp-datacenter --topology=fattree --k=4 --routes=shortest --workload=w3 --load=0.5 --simTime=0.5ms --warmup=0.1ms --drain=1ms --protocol=both --allowUnfinished --progress=0 --out=mtp-datacenter-test-out", "True", "False"),
    ("mtp-datacenter --racks=2 --hostsPerRack=4 --spines=2 --workload=w4 --load=0.5 --simTime=0.5ms --warmup=0.1ms --drain=1ms --protocol=both --portQueue=queuedisc --hostBands=8 --progress=0 --out=mtp-datacenter-qdisc-test-out", "True", "False"),
    ("mtp-datacenter --racks=2 --hostsPerRack=4 --spines=2 --workload=w2 --load=0.5 --simTime=0.3ms --warmup=0.05ms --drain=1ms --protocol=mtp --cutoffs=auto --progress=0 --out=mtp-datacenter-cutoffs-test-out", "True", "False"),
    ("mtp-incast --senders=8 --size=50000", "True", "False"),
    ("mtp-port-mapper", "True", "True"),
    ("mtp-port-mapper --rpcs=3 --size=20000 --timeout=2s --retries=1", "True", "False"),
    ("mtp-port-mapper --ipv6 --rpcs=3 --timeout=2s", "True", "True"),
    ("mtp-monitor --load=0.5 --simTime=2ms --drop=3 --print=5 --timeline=mtp-monitor-timeline.csv", "True", "False"),
    ("mtp-monitor --protocol=tcp --load=0.5 --simTime=2ms --drop=3 --print=5", "True", "False"),
    ("mtp-host-cores --policy=gen3 --cores=4 --simTime=2ms --warmup=0.5ms --stats", "True", "False"),
    # The GoogleTest unit tests (test/*/*-gtest.cc), an ns-3 program in an ns-3 tree
    # when GoogleTest is installed (cmake/mtp-gtest.cmake); the standalone
    # build runs them through CTest instead.
    ("mtp-gtests", "True", "False"),
]

# A list of Python examples to run in order to ensure that they remain
# runnable over time.  Each tuple in the list contains
#
#     (example_name, do_run).
#
# See test.py for more information.
python_examples = []
