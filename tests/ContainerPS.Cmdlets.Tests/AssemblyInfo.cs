// Tests look at the whole host (cgroups, mounts, processes) before and after each case to prove nothing leaked;
// run them one at a time so one case's containers are not mistaken for another's residue.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
