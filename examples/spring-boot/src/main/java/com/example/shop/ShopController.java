package com.example.shop;

import dev.tally.application.Tally;
import dev.tally.application.usage.RecordUsage;
import dev.tally.application.usage.UsageItem;
import dev.tally.application.user.PutUser;
import dev.tally.domain.Refusal;
import dev.tally.domain.user.UserId;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** Work that Tally meters: done only when Tally allows it, 403 with Tally's refusal when not. */
@RestController
public class ShopController {

    private final Tally tally;
    private final JdbcTemplate jdbc;

    public ShopController(Tally tally, JdbcTemplate jdbc) {
        this.tally = tally;
        this.jdbc = jdbc;
        ShopApplication.putPlans(tally);
    }

    /** A customer on the free plan. */
    @PutMapping("/customers/{customer}")
    public ResponseEntity<Map<String, String>> signUp(@PathVariable String customer) {
        tally.users().put(PutUser.of(new UserId(customer), ShopApplication.FREE));
        return ResponseEntity.ok(Map.of("customer", customer, "plan", "free"));
    }

    /** An export, recorded against the plan first and done only when Tally grants it. */
    @PostMapping("/customers/{customer}/exports/{export}")
    public ResponseEntity<Map<String, String>> export(@PathVariable String customer, @PathVariable String export) {
        return tally.usage().record(new RecordUsage(new UserId(customer),
                        List.of(UsageItem.of(ShopApplication.EXPORTS, 1, export)), true))
                .fold(granted -> ResponseEntity.ok(Map.of("export", export, "status", "done")),
                        ShopController::refused);
    }

    /**
     * An order: its row and its metering in one transaction (tally.jdbc.join-transactions), so an
     * order that cannot be stored is not counted, and a refused one is not stored.
     */
    @Transactional
    @PostMapping("/customers/{customer}/orders/{order}")
    public ResponseEntity<Map<String, String>> order(@PathVariable String customer, @PathVariable String order) {
        return tally.usage().record(new RecordUsage(new UserId(customer),
                        List.of(UsageItem.of(ShopApplication.ORDERS, 1, order)), true))
                .fold(granted -> {
                    jdbc.update("INSERT INTO shop_orders (id, user_id) VALUES (?, ?)", order, customer);
                    return ResponseEntity.ok(Map.of("order", order, "status", "placed"));
                }, ShopController::refused);
    }

    /** An order id already taken: nothing stored, nothing counted. */
    @ExceptionHandler(DuplicateKeyException.class)
    public ResponseEntity<Map<String, String>> orderExists() {
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(Map.of("error", "order_exists", "message", "An order with this id exists."));
    }

    /** Tally's refusal as its HTTP API words it: {@code {"error": code, "message": ...}}. */
    private static ResponseEntity<Map<String, String>> refused(Refusal refusal) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .body(Map.of("error", refusal.code(), "message", refusal.message()));
    }
}
