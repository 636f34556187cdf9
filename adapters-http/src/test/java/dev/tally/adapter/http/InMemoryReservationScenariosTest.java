package dev.tally.adapter.http;

/** Reservations over HTTP on in-memory storage. */
class InMemoryReservationScenariosTest extends ReservationScenarios {
}
