package dev.tally.adapter.jdbc;

import dev.tally.domain.run.ModelPrice;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapperFactory;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The price table's SQL. */
@RegisterRowMapperFactory(ModelPriceDao.Rows.class)
interface ModelPriceDao {

    /** How this DAO's rows are read. */
    final class Rows extends RowMappings {
        public Rows() {
            map(ModelPrice.class, ModelPriceDao::map);
        }
    }

    static ModelPrice map(ResultSet rs) throws SQLException {
        return new ModelPrice(rs.getString("model"), Decimals.quantity(rs, "input_per_1k"),
                Decimals.quantity(rs, "output_per_1k"), rs.getString("provider"));
    }

    @SqlUpdate("UPDATE model_prices SET input_per_1k = :input, output_per_1k = :output, provider = :provider "
            + "WHERE model = :model")
    int update(String model, BigDecimal input, BigDecimal output, String provider);

    @SqlUpdate("INSERT INTO model_prices (model, input_per_1k, output_per_1k, provider) "
            + "VALUES (:model, :input, :output, :provider) ON CONFLICT DO NOTHING")
    int insert(String model, BigDecimal input, BigDecimal output, String provider);

    @SqlQuery("SELECT model, input_per_1k, output_per_1k, provider FROM model_prices WHERE model = :model")
    Optional<ModelPrice> find(String model);

    @SqlQuery("SELECT model, input_per_1k, output_per_1k, provider FROM model_prices ORDER BY model")
    List<ModelPrice> all();
}
