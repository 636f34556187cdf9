package dev.tally.adapter.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An embedder's {@link DataSource} whose connections see Tally's schema while Tally holds them:
 * on each connection it hands out it makes {@code schema} the one unqualified names resolve in,
 * and on {@code close()} it puts back what the connection had, so the embedder's own pool never
 * gets a connection with Tally's schema back.
 *
 * <p>On PostgreSQL that is the whole {@code search_path} (a {@code setSchema} would drop the rest
 * of the embedder's path when put back); elsewhere it is {@link Connection#setSchema}. A session
 * setting made inside an open transaction is undone by its rollback, so on a connection that is not
 * in auto-commit mode the change is committed at once (a connection fresh from a pool has no work
 * of its own pending).
 */
final class SchemaDataSource implements DataSource {

    private final DataSource embedders;
    private final String schema;
    private final boolean postgres;

    SchemaDataSource(DataSource embedders, String schema, boolean postgres) {
        this.embedders = embedders;
        this.schema = schema;
        this.postgres = postgres;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return inSchema(embedders.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return inSchema(embedders.getConnection(username, password));
    }

    private Connection inSchema(Connection connection) throws SQLException {
        String before;
        try {
            before = current(connection, postgres);
            use(connection, postgres ? '"' + schema + '"' : schema, postgres, false);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        InvocationHandler handler = new InvocationHandler() {
            private boolean closed;

            @Override
            public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
                if (method.getName().equals("close") && method.getParameterCount() == 0) {
                    if (!closed) {
                        closed = true;
                        try {
                            if (!connection.isClosed()) {
                                use(connection, before, postgres, false);
                            }
                        } finally {
                            connection.close();
                        }
                    }
                    return null;
                }
                if (method.getName().equals("isClosed") && method.getParameterCount() == 0) {
                    return closed || connection.isClosed();
                }
                try {
                    return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    /** The schema, or on PostgreSQL the search path, unqualified names now resolve in. */
    static String current(Connection connection, boolean postgres) throws SQLException {
        if (!postgres) {
            return connection.getSchema();
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting('search_path')");
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getString(1);
        }
    }

    /**
     * Makes unqualified names resolve in {@code value}; {@code joined}, inside a transaction of the
     * caller's that must not be committed here (on PostgreSQL then for that transaction only).
     */
    static void use(Connection connection, String value, boolean postgres, boolean joined) throws SQLException {
        if (postgres) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('search_path', ?, "
                    + joined + ")")) {
                statement.setString(1, value);
                statement.execute();
            }
        } else {
            connection.setSchema(value);
        }
        if (!joined && !connection.getAutoCommit()) {
            connection.commit();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return embedders.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        embedders.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        embedders.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return embedders.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return embedders.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : embedders.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || embedders.isWrapperFor(type);
    }
}
