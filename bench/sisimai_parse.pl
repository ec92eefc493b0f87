#!/usr/bin/perl
# SPDX-License-Identifier: GPL-3.0-or-later
# Peer for bench/parse_bench.sh: Debian's sisimai (libsisimai-perl) decoding one mbox,
# printing one line per result so the work cannot be optimised away.
use strict;
use warnings;
use Sisimai;

my $path = shift or die "usage: $0 MBOX\n";
my $count = 0;
my $v = Sisimai->make($path, 'delivered' => 1, 'vacation' => 1) || [];
for my $e (@$v) {
    print join("\t", $e->recipient->address, $e->deliverystatus, $e->reason), "\n";
    $count++;
}
print STDERR "sisimai results: $count\n";
