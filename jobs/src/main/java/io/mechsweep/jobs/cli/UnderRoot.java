package io.mechsweep.jobs.cli;

/** A command whose output lives under a root: where its error log goes. */
interface UnderRoot {
  CommonOptions common();
}
