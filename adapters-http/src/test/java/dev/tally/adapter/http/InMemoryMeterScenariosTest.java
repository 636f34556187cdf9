package dev.tally.adapter.http;

/** Meters over HTTP on in-memory storage. */
class InMemoryMeterScenariosTest extends MeterScenarios {
}
