import Engine
import Foundation
import Metastore
import Testing

/// Where a deployment's metastore is: the `metastore` setting or Airflow's `sql_alchemy_conn`.
@Suite struct MetastoreURLTests {
    @Test("SQLite URLs: the workspace's absolute form, SQLAlchemy's four-slash form, options ignored")
    func sqlite() throws {
        #expect(try MetastoreLocation.parse("sqlite:////opt/airflow/airflow.db") == .sqlite(path: "/opt/airflow/airflow.db"))
        #expect(try MetastoreLocation.parse("sqlite:///rel/airflow.db", resolveRelative: { "/base/" + $0 }) == .sqlite(path: "/base/rel/airflow.db"))
        #expect(try MetastoreLocation.parse("sqlite:////tmp/a.db?check_same_thread=False") == .sqlite(path: "/tmp/a.db"))
        #expect(throws: MetastoreURLError.self) { try MetastoreLocation.parse("sqlite://") }
        #expect(throws: MetastoreURLError.self) { try MetastoreLocation.parse("sqlite:///") }
        #expect(throws: MetastoreURLError.self) { try MetastoreLocation.parse("airflow.db") }
    }

    @Test("PostgreSQL URLs in libpq and SQLAlchemy spellings, credentials percent-decoded")
    func postgres() throws {
        for scheme in ["postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg", "postgresql+asyncpg"] {
            guard case .postgres(let location) = try MetastoreLocation.parse("\(scheme)://air%40flow:p%2Fss@db.internal:6432/airflow?sslmode=require") else {
                Issue.record("\(scheme) is PostgreSQL")
                continue
            }
            #expect(location.host == "db.internal" && location.port == 6432)
            #expect(location.username == "air@flow" && location.password == "p/ss")
            #expect(location.database == "airflow" && location.sslMode == "require")
        }
        guard case .postgres(let defaults) = try MetastoreLocation.parse("postgresql://localhost/airflow") else {
            Issue.record("postgresql://localhost/airflow is PostgreSQL")
            return
        }
        #expect(defaults.port == 5432 && defaults.password == nil && defaults.sslMode == "prefer")
        guard case .postgres(let socket) = try MetastoreLocation.parse("postgresql://u@/airflow?host=/var/run/postgresql") else {
            Issue.record("postgresql://u@/airflow?host=/var/run/postgresql is PostgreSQL")
            return
        }
        #expect(socket.socketPath == "/var/run/postgresql")
        guard case .postgres(let unencoded) = try MetastoreLocation.parse("postgresql://u:pa/ss@word@h:5/d") else {
            Issue.record("postgresql://u:pa/ss@word@h:5/d is PostgreSQL")
            return
        }
        #expect(unencoded.password == "pa/ss@word" && unencoded.host == "h" && unencoded.port == 5 && unencoded.database == "d")
    }

    @Test("Redacted URLs and errors never contain the password")
    func redaction() throws {
        let location = try MetastoreLocation.parse("postgresql://airflow:s3cr3t-pw@db:5432/airflow?sslmode=verify-full")
        #expect(location.redactedURL == "postgresql://airflow:***@db:5432/airflow?sslmode=verify-full")
        for bad in ["postgresql://airflow:s3cr3t-pw@db:54x2/airflow", "postgresql://airflow:s3cr3t-pw@db/airflow?sslmode=s3cr3t-pw-mode",
                    "mysql://airflow:s3cr3t-pw@db/airflow", "postgresql://airflow:s3cr3t-pw/x@db:99999/airflow"] {
            do {
                _ = try MetastoreLocation.parse(bad)
                Issue.record("\(bad.prefix(12))… must be rejected")
            } catch let error as MetastoreURLError {
                #expect(!error.description.contains("s3cr3t-pw@") && !error.description.contains("s3cr3t-pw/"))
                #expect(!error.description.isEmpty)
            }
        }
        #expect(throws: MetastoreURLError.self) { try MetastoreLocation.parse("postgresql://h/d?sslmode=bogus") }
    }

    @Test("metastoreURL(for:): the `metastore` setting wins, then AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, then Airflow 2's [core] option")
    func urlSources() {
        var env = DeploymentEnvironment(["AIRFLOW__CORE__SQL_ALCHEMY_CONN": "postgresql://core/db"])
        var deployment = Deployment(name: "d", airflowVersion: .v2, environment: env)
        #expect(MetastoreTier.metastoreURL(for: deployment) == "postgresql://core/db")
        env.set("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql+psycopg2://database/db", origin: .inline)
        deployment.environment = env
        #expect(MetastoreTier.metastoreURL(for: deployment) == "postgresql+psycopg2://database/db")
        deployment.metastoreURL = "sqlite:///tmp/x.db"
        #expect(MetastoreTier.metastoreURL(for: deployment) == "sqlite:///tmp/x.db")
        #expect(MetastoreTier.metastoreURL(for: Deployment(name: "none")) == nil)
    }

    @Test("The tier's label and detail come from the URL, without the password")
    func descriptor() throws {
        let env = DeploymentEnvironment(["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "postgresql+psycopg2://airflow:hunter2@db.example:5432/airflow"])
        let tier = try MetastoreTier(deployment: Deployment(name: "prod", environment: env))
        #expect(tier.descriptor.label == "metastore (postgresql)")
        #expect(tier.descriptor.detail == "postgresql://airflow:***@db.example:5432/airflow")
        #expect(!tier.descriptor.detail.contains("hunter2"))
    }

    @Test("sql_alchemy_conn's relative SQLite path starts at the deployment's working directory")
    func relativeSQLiteFromEnvironment() throws {
        let base = URL(fileURLWithPath: "/srv/project", isDirectory: true)
        let env = DeploymentEnvironment(["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "sqlite:///airflow.db"])
        let tier = try MetastoreTier(deployment: Deployment(name: "p", environment: env, baseDirectory: base))
        #expect(tier.location == .sqlite(path: "/srv/project/airflow.db"))
        let absolute = try MetastoreTier(deployment: Deployment(name: "p", metastoreURL: "sqlite:///srv/other/airflow.db"))
        #expect(absolute.location == .sqlite(path: "/srv/other/airflow.db"))
    }

    @Test("No metastore, or an unusable URL: a configuration error naming the deployment")
    func configurationErrors() {
        do {
            _ = try MetastoreTier(deployment: Deployment(name: "staging"))
            Issue.record("a deployment without a metastore has no metastore tier")
        } catch let error as MetastoreError {
            #expect(error.kind == .configuration && error.message.contains("'staging'") && error.message.contains("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"))
        } catch { Issue.record("unexpected \(error)") }
        do {
            _ = try MetastoreTier(deployment: Deployment(name: "prod", metastoreURL: "mysql://u:topsecret@h/airflow"))
            Issue.record("mysql is not supported")
        } catch let error as MetastoreError {
            #expect(error.message.contains("'prod'") && error.message.contains("mysql") && !error.message.contains("topsecret"))
        } catch { Issue.record("unexpected \(error)") }
    }
}
