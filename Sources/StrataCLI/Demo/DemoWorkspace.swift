import Engine
import Foundation

/// The built-in demo: three deployments that show every thing Strata explains — a local-files
/// secrets backend shadowing the environment and the metastore, values that differ between
/// tiers, a case collision, unicode ids, an invalid URI — with no server and no credential.
public enum DemoWorkspace {
    /// Writes the demo into `folder` (replacing an earlier copy) and returns its workspace file.
    public static func write(to folder: URL) throws -> URL {
        let fm = FileManager.default
        let staging = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        for (path, text) in files {
            let url = staging.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        // Swap the finished copy in whole, so a running Strata never sees half a demo.
        try? fm.removeItem(at: folder)
        try fm.moveItem(at: staging, to: folder)
        return folder.appendingPathComponent(Workspace.fileName)
    }

    /// The default place for the demo: a per-user folder under the temp directory.
    public static var defaultFolder: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("strata-demo-\(getuid())")
    }

    static let files: [String: String] = [
        "strata.yaml": """
        # Strata demo workspace: three deployments, no servers, no credentials.
        deployments:
          - name: local
            project: local-astro
          - name: staging
            airflow: 3
            env_files: [staging/common.env, staging/staging.env]
            env:
              AIRFLOW_VAR_DEPLOY_COLOUR: blue
          - name: prod
            airflow: 2
            env_files: [prod/prod.env]
            read_only: true
        """,

        // An Astro project whose secrets backend is Airflow's LocalFilesystemBackend.
        "local-astro/.astro/config.yaml": "project:\n  name: strata-demo\n",
        "local-astro/Dockerfile": "FROM quay.io/astronomer/astro-runtime:3.0-4\n",
        "local-astro/.env": """
        AIRFLOW__SECRETS__BACKEND=airflow.secrets.local_filesystem.LocalFilesystemBackend
        AIRFLOW__SECRETS__BACKEND_KWARGS={"variables_file_path": "/usr/local/airflow/include/secrets/variables.json", "connections_file_path": "/usr/local/airflow/include/secrets/connections.yaml"}
        # Shadowed by the backend, with a different password:
        AIRFLOW_CONN_MY_POSTGRES=postgres://etl:env-password@localhost:5432/analytics
        # Shadowed by the backend, same value:
        AIRFLOW_VAR_REGION=eu-west-1
        # Supplied by the environment:
        AIRFLOW_VAR_GREETING=こんにちは世界
        AIRFLOW_VAR_API_TOKEN=tok_demo_9f8e7d6c5b4a
        AIRFLOW_CONN_SLACK_ALERTS={"conn_type": "slack", "password": "xoxb-demo-token", "extra": {"channel": "#alerts"}}
        # Not a valid URI: Airflow skips it and falls through to the metastore.
        AIRFLOW_CONN_BROKEN_API=http://user:pass@api.example.com:port/v1
        # An empty variable is still a value: Airflow returns "" and looks no further.
        AIRFLOW_VAR_EMPTY_VALUE=
        # Answers for both my_var and MY_VAR in airflow_settings.yaml:
        AIRFLOW_VAR_MY_VAR=from the environment
        """,
        "local-astro/include/secrets/variables.json": """
        {
          "region": "eu-west-1",
          "feature_flags": {"new_ui": true, "beta_export": false},
          "retention_days": 30,
          "emoji_banner": "🚀 launch 🚀"
        }
        """,
        "local-astro/include/secrets/connections.yaml": """
        my_postgres: postgres://etl:backend-password@db.internal:5432/analytics?sslmode=require
        aws_default:
          conn_type: aws
          login: AKIADEMOEXAMPLE
          password: demo-secret-access-key
          extra:
            region_name: eu-west-1
        café_db: mysql://barista:espresso@café.example.com:3306/menu
        """,
        "local-astro/airflow_settings.yaml": """
        airflow:
          connections:
            - conn_id: my_postgres
              conn_type: postgres
              conn_host: localhost
              conn_schema: analytics
              conn_login: etl
              conn_password: metastore-password
              conn_port: 5432
            - conn_id: broken_api
              conn_type: http
              conn_host: api.example.com
              conn_schema: v1
            - conn_id: 数据仓库
              conn_type: postgres
              conn_host: warehouse.example.cn
              conn_port: 5439
          variables:
            - variable_name: my_var
              variable_value: lower-case key
            - variable_name: MY_VAR
              variable_value: upper-case key
            - variable_name: region
              variable_value: us-east-1
          pools: []
        """,

        // A deployment configured purely through env files, as `astro deployment variable list --save` writes them.
        "staging/common.env": """
        AIRFLOW_VAR_REGION=eu-central-1
        AIRFLOW_VAR_DEPLOY_COLOUR=green
        AIRFLOW_CONN_MY_POSTGRES=postgres://etl:staging-password@staging-db.internal:5432/analytics
        """,
        "staging/staging.env": """
        AIRFLOW_VAR_REGION=eu-west-1
        AIRFLOW_VAR_NOTIFICATION_EMAIL=data-team@example.com
        AIRFLOW_CONN_HTTP_DEFAULT=https://api.staging.example.com/?timeout=30&verify=true
        AIRFLOW_VAR_RTL_TEST=\u{202E}txt.exe
        """,

        // Airflow 2, read-only.
        "prod/prod.env": """
        AIRFLOW_VAR_REGION=eu-west-1
        AIRFLOW_VAR_DEPLOY_COLOUR=blue
        AIRFLOW_CONN_MY_POSTGRES=postgresql://etl:prod-password@prod-db.internal:5432/analytics
        AIRFLOW_CONN_HTTP_DEFAULT=https://api.example.com/
        """,
    ]
}
