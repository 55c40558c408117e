/**
 * The ground floor: small types every package may use (today the user-error exception). It imports
 * nothing from {@code org.mosaicbeam}; {@code ArchitectureTest} keeps it that way.
 */
package org.mosaicbeam.base;
