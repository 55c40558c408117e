/**
 * A subcommand's command line to its Beam options ({@code @file}s, runner settings, s3:// flags).
 * Each pipeline's {@code main} calls {@link org.mosaicbeam.args.Cli#parse}, so this sits below the
 * pipelines; {@code org.mosaicbeam.cli} (the launcher) stays on top and is imported by nobody.
 */
package org.mosaicbeam.args;
